package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;

/** A locked token was unlocked; published inside the transaction that changed it. */
public record TokenUnlocked(ServiceId serviceId, String serviceName, UserId userId, String mailAddress, Locale locale,
                            Instant at) {
}
