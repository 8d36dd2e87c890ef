package io.kagi.authority;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the activation exchange (docs/activation-protocol.md §6).
 *
 * @param perAddressPerHour  activation starts one client address may make per hour (a token bucket:
 *                           this many at once, then refilled evenly over the hour)
 * @param perTokenPerHour    exchanges of one token that may end with a wrong password per hour (same
 *                           bucket); beyond it the token's starts are refused. Starts that never
 *                           reach a password check do not count, so nobody can block the owner.
 * @param maxWrongPasswords  wrong activation passwords that void a token
 * @param sessionValidity    how long an exchange may be finished after its start
 */
@ConfigurationProperties("kagi.authority.activation")
record ActivationProperties(@DefaultValue("30") int perAddressPerHour, @DefaultValue("10") int perTokenPerHour,
                            @DefaultValue("5") int maxWrongPasswords, @DefaultValue("5m") Duration sessionValidity) {
}
