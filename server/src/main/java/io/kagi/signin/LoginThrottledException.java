package io.kagi.signin;

import java.io.Serial;
import java.time.Duration;

import org.springframework.security.authentication.AccountStatusException;

/**
 * A login attempt refused before its password was looked at: too many attempts came from this
 * address or for this login ID lately. An {@link AccountStatusException}, so that no other
 * authentication provider is asked instead.
 */
public final class LoginThrottledException extends AccountStatusException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    LoginThrottledException(Duration retryAfter) {
        super("Too many login attempts; retry after " + retryAfter.toSeconds() + " s");
        this.retryAfter = retryAfter;
    }

    /** How long to wait before the next attempt is taken (at least one second). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
