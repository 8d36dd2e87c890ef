package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;

/** A token was locked; published inside the transaction that changed it. */
public record TokenLocked(ServiceId serviceId, String serviceName, UserId userId, String mailAddress, Locale locale,
                          Instant at) {
}
