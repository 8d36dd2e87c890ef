package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;

/** A token was revoked; published inside the transaction that changed it. */
public record TokenRevoked(ServiceId serviceId, String serviceName, UserId userId, String mailAddress, Locale locale,
                          Instant at) {
}
