package io.kagi.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Slows down password guessing from one address (spraying many login IDs) and against one login ID
 * (from many addresses, or many at once), counted in the database ({@code signin_throttle}) so that
 * every node sees the same counts. Each attempt takes a place in its address's bucket before
 * anything is looked up, and each password check a place in its login ID's bucket before the
 * password is hashed; from the last free place of a window on, the next must wait 1 s, 2 s, 4 s, …
 * (at most {@link SignInProperties#longestWait()}), and one that comes too early is answered at once,
 * without a hash. So a burst of parallel guesses at one login ID has at most
 * {@link SignInProperties#freePerLoginId()} passwords checked before the lock stops it. A right
 * password gives its address's place back and clears its login ID's bucket. A place is taken under
 * the bucket's row lock ({@code SELECT … FOR UPDATE} in a short transaction of its own), so parallel
 * attempts queue for their places one after the other: none takes another's, and none is refused for
 * having come at the same moment (an office behind one address logs in many people at once; an
 * optimistic compare-and-set that gave up after a few lost races refused 18 % of 16 parallel logins
 * from one address in the bench, 2026-11-29).
 */
@Component
class LoginThrottle {

    private static final int MAX_BUCKET_LENGTH = 80;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SignInProperties properties;

    LoginThrottle(JdbcClient jdbc, Clock clock, SignInProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
    }

    static String addressBucket(String address) {
        String bucket = "a:" + (address == null ? "" : address);
        return bucket.length() > MAX_BUCKET_LENGTH ? bucket.substring(0, MAX_BUCKET_LENGTH) : bucket;
    }

    static String loginBucket(LoginRealm realm, String loginDigest) {
        return "i:" + realm.name() + ":" + loginDigest;
    }

    /** Takes a place for one attempt from this address; empty when it may go on, otherwise how long to wait. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    Optional<Duration> takeAddress(String addressBucket) {
        return take(addressBucket, properties.freePerAddress(), clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** Takes a place for one password check of this login ID; empty when it may go on, otherwise how long to wait. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    Optional<Duration> takeLogin(String loginBucket) {
        return take(loginBucket, properties.freePerLoginId(), clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** After a right password: the address's place back, the login ID's bucket cleared (in the password factor's transaction). */
    @Transactional(propagation = Propagation.MANDATORY)
    void succeeded(String addressBucket, String loginBucket) {
        jdbc.sql("UPDATE signin_throttle SET attempts = attempts - 1, version = version + 1 WHERE bucket = :bucket AND attempts > 0")
                .param("bucket", addressBucket).update();
        jdbc.sql("DELETE FROM signin_throttle WHERE bucket = :bucket").param("bucket", loginBucket).update();
    }

    /** Forgets one bucket, in the caller's transaction. */
    @Transactional
    void forget(String bucket) {
        jdbc.sql("DELETE FROM signin_throttle WHERE bucket = :bucket").param("bucket", bucket).update();
    }

    private Optional<Duration> take(String bucket, int free, Instant now) {
        Optional<Bucket> found = locked(bucket);
        // A bucket seen missing may be made by a parallel attempt (the INSERT then waits for it and does
        // nothing) or forgotten meanwhile (the clean-up, a right password): look again, at most twice.
        for (int round = 0; found.isEmpty() && round < 3; round++) {
            int inserted = jdbc.sql("""
                            INSERT INTO signin_throttle (bucket, attempts, last_attempt_at, blocked_until, version)
                            VALUES (:bucket, 1, :now, :until, 0) ON CONFLICT DO NOTHING""")
                    .param("bucket", bucket).param("now", utc(now))
                    .param("until", utc(now.plus(properties.waitAfter(1, free))))
                    .update();
            if (inserted == 1) {
                return Optional.empty();
            }
            found = locked(bucket);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("The sign-in bucket was neither there nor made three times in a row");
        }
        Bucket current = found.get();
        if (current.lastAttemptAt().isAfter(now.plus(properties.longestWait()))) {
            // Its last attempt lies further ahead than any wait reaches: counted by a clock since stepped
            // back (a corrected node clock). It starts again rather than bar the address until that time.
            current = new Bucket(0, now.minus(properties.window()).minusSeconds(1), now, current.version());
        }
        if (current.blockedUntil().isAfter(now)) {
            return Optional.of(atLeastOneSecond(Duration.between(now, current.blockedUntil())));
        }
        int attempts = current.lastAttemptAt().isBefore(now.minus(properties.window())) ? 1 : current.attempts() + 1;
        jdbc.sql("""
                        UPDATE signin_throttle SET attempts = :attempts, last_attempt_at = :now, blocked_until = :until,
                            version = version + 1
                        WHERE bucket = :bucket""")
                .param("attempts", attempts).param("now", utc(now))
                .param("until", utc(now.plus(properties.waitAfter(attempts, free))))
                .param("bucket", bucket)
                .update();
        return Optional.empty();
    }

    /** The bucket's row, locked until this attempt's transaction ends; empty when there is none. */
    private Optional<Bucket> locked(String bucket) {
        return jdbc.sql("SELECT attempts, last_attempt_at, blocked_until, version FROM signin_throttle WHERE bucket = :bucket FOR UPDATE")
                .param("bucket", bucket)
                .query((row, number) -> new Bucket(row.getInt("attempts"),
                        row.getObject("last_attempt_at", OffsetDateTime.class).toInstant(),
                        row.getObject("blocked_until", OffsetDateTime.class).toInstant(), row.getLong("version")))
                .optional();
    }

    /** Forgets old buckets and old counts of unknown login IDs. */
    @Scheduled(fixedDelayString = "${kagi.signin.cleanup-interval:PT10M}", initialDelayString = "${kagi.signin.cleanup-interval:PT10M}")
    @Transactional
    public void forgetOld() {
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM signin_throttle WHERE last_attempt_at < :before AND blocked_until < :now")
                .param("before", utc(now.minus(properties.window()).minus(properties.longestWait())))
                .param("now", utc(now)).update();
        jdbc.sql("DELETE FROM signin_unknown_login WHERE last_failed_at < :before")
                .param("before", utc(now.minus(properties.unknownLoginRetention()))).update();
    }

    private static Duration atLeastOneSecond(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private record Bucket(int attempts, Instant lastAttemptAt, Instant blockedUntil, long version) {
    }
}
