package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;

/**
 * A token was issued and waits for activation on a phone; published inside the issuing
 * transaction, so what listeners write (the issuance mail) commits with it.
 *
 * @param serviceId the service's サービスID
 * @param serviceName the service's name
 * @param userId the token's ユーザID
 * @param mailAddress where the issuance notice goes
 * @param locale the language the user issued the token in
 * @param issuedAt when
 * @param activationDeadline until when the token can be activated
 */
public record TokenIssued(ServiceId serviceId, String serviceName, UserId userId, String mailAddress, Locale locale,
                          Instant issuedAt, Instant activationDeadline) {
}
