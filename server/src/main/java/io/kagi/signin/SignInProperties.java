package io.kagi.signin;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The throttle of login attempts ({@code kagi.signin.*}).
 *
 * @param window               attempts older than this are forgotten
 * @param freePerAddress       attempts from one address within the window that need no wait
 *                             (an office behind one NAT shares it: generous, and a right
 *                             password gives its attempt back)
 * @param freePerLoginId       password checks of one login ID within the window that need no wait:
 *                             the lock's threshold, so that parallel guesses cannot check more
 *                             passwords than the lock allows
 * @param longestWait          the growing wait (1 s, 2 s, 4 s, … after the free attempts) stops here
 * @param unknownLoginRetention how long the counts of unknown login IDs and old throttle rows are kept
 */
@ConfigurationProperties("kagi.signin")
record SignInProperties(@DefaultValue("15m") Duration window,
                        @DefaultValue("10") int freePerAddress,
                        @DefaultValue("5") int freePerLoginId,
                        @DefaultValue("5m") Duration longestWait,
                        @DefaultValue("30d") Duration unknownLoginRetention) {

    /** The wait after the {@code attempt}th attempt in a window, before the next is taken: none before the last free one, then 1 s, 2 s, 4 s, …. */
    Duration waitAfter(int attempt, int free) {
        if (attempt < free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(attempt - free, 30);
        Duration wait = Duration.ofSeconds(1L << doublings);
        return wait.compareTo(longestWait) > 0 ? longestWait : wait;
    }
}
