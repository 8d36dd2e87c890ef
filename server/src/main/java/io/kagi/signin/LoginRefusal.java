package io.kagi.signin;

import java.time.Duration;

import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;

/**
 * Why the password factor refused a login, as the login page says it: a wrong login ID or password
 * (never which), a locked login, or too many attempts lately (with how long to wait).
 *
 * @param retryAfter for {@link Kind#THROTTLED}, how long to wait; otherwise zero
 */
public record LoginRefusal(Kind kind, Duration retryAfter) {

    public enum Kind { WRONG_CREDENTIALS, LOCKED, THROTTLED }

    public static LoginRefusal of(AuthenticationException exception) {
        if (exception instanceof LoginThrottledException throttled) {
            return new LoginRefusal(Kind.THROTTLED, throttled.retryAfter());
        }
        if (exception instanceof LockedException) {
            return new LoginRefusal(Kind.LOCKED, Duration.ZERO);
        }
        return new LoginRefusal(Kind.WRONG_CREDENTIALS, Duration.ZERO);
    }

    /**
     * The seconds to show from a login page's {@code wait} parameter: 1 to 3600, or {@code null} when
     * absent or not a plain number (anyone can write a query string: nothing of it is echoed).
     */
    public static Integer waitSeconds(String parameter) {
        if (parameter == null || parameter.isEmpty() || parameter.length() > 4 || !parameter.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int seconds = Integer.parseInt(parameter);
        return seconds < 1 || seconds > 3600 ? null : seconds;
    }

    /** The login page's query string that shows the message: {@code error}, {@code locked} or {@code wait=<seconds>}. */
    public String pageQuery() {
        return switch (kind) {
            case THROTTLED -> "wait=" + retryAfter.toSeconds();
            case LOCKED -> "locked";
            case WRONG_CREDENTIALS -> "error";
        };
    }
}
