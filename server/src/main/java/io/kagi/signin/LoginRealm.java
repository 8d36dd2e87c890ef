package io.kagi.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A set of accounts that sign in on one login page: the portal's users or the bank's operators.
 *
 * @param name         the realm's name in counters and keyed hashes ({@code portal}, {@code console})
 * @param table        the accounts' table; it has {@code id}, {@code failed_login_count} and
 *                     {@code login_locked_at} columns
 * @param lockedEvent  the audit event type written when consecutive wrong passwords lock an account
 * @param lockLasts    how long a lock lasts before the account may try again; empty: until someone
 *                     unlocks it
 */
public record LoginRealm(String name, String table, String lockedEvent, Optional<Duration> lockLasts) {

    /** Consecutive wrong passwords that lock a login (known or unknown). */
    public static final int LOCK_THRESHOLD = 5;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public LoginRealm {
        if (!IDENTIFIER.matcher(name).matches() || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("A realm's name and table are lower-case SQL identifiers");
        }
        lockLasts.ifPresent(duration -> {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("A lock lasts a positive time");
            }
        });
    }

    /** Whether a login locked at {@code lockedAt} (null: not locked) is still locked at {@code now}. */
    public boolean isLocked(Instant lockedAt, Instant now) {
        return lockedAt != null && lockLasts.map(duration -> now.isBefore(lockedAt.plus(duration))).orElse(true);
    }
}
