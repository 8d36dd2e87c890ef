package io.kagi.session;

import java.time.Instant;

/**
 * One live session of a person as their sessions page shows it: a reference that names it on
 * that page (never the session ID, which is the cookie's secret), when it began and was last used,
 * the address and a short name of the browser that logged in, and whether it is the session of
 * the request asking.
 */
public record UserSession(String reference, Instant startedAt, Instant lastUsedAt, String clientAddress,
                          String browser, boolean current) {
}
