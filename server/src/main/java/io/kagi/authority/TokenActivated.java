package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;

/** A token was activated; published inside the transaction that changed it. */
public record TokenActivated(ServiceId serviceId, String serviceName, UserId userId, String mailAddress, Locale locale,
                          Instant at) {
}
