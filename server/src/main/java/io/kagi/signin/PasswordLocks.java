package io.kagi.signin;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.SecretsAtRest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts consecutive wrong passwords in the database with conditional updates, so that the count is
 * exact when several nodes serve the same login at once. The {@value LoginRealm#LOCK_THRESHOLD}th
 * wrong password in a row locks the login (and writes the realm's audit event in the same
 * transaction); a right one resets the count. A lock that has lasted the realm's
 * {@link LoginRealm#lockLasts()} counts as ended: the next password is checked and counted afresh.
 *
 * <p>Login IDs that do not exist are counted the same way in {@code signin_unknown_login}, under a
 * keyed digest of the typed text (it may be a password typed into the wrong field), so that the
 * page answers an unknown ID exactly as it answers a known one, lock included. Each count runs in a
 * transaction of its own (a right password's reset in the password factor's, with the throttle's):
 * the login's request has none, and a count must stay even when the request fails afterwards.
 */
@Component
class PasswordLocks {

    /** Where a realm without lock expiry compares: no lock was set before this. */
    private static final OffsetDateTime NEVER = OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final SecretsAtRest secrets;

    PasswordLocks(JdbcClient jdbc, Clock clock, AuditLog audit, SecretsAtRest secrets) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
        this.secrets = secrets;
    }

    /** Counts one wrong password; returns whether the login is locked now. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    boolean recordFailure(LoginRealm realm, SignInAccount account) {
        // Microseconds: what both databases keep, so that the lock's time reads back equal.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (account.isPhantom()) {
            return recordUnknownFailure(realm, account.loginId(), now);
        }
        int counted = jdbc.sql("UPDATE " + realm.table() + " SET " + COUNT_ONE_MORE + " WHERE id = :id AND " + NOT_LOCKED)
                .param("threshold", LoginRealm.LOCK_THRESHOLD).param("now", utc(now))
                .param("expiredBefore", expiredBefore(realm, now)).param("id", account.id())
                .update();
        Instant lockedAt = jdbc.sql("SELECT login_locked_at FROM " + realm.table() + " WHERE id = :id")
                .param("id", account.id())
                .query((row, number) -> Optional.ofNullable(instant(row.getObject("login_locked_at", OffsetDateTime.class))))
                .single().orElse(null);
        if (counted == 1 && now.equals(lockedAt)) {
            audit.record(AuditEvent.of(realm.lockedEvent(), "system").company(account.companyId())
                    .subject(account.auditSubject())
                    .detail("consecutiveFailures", String.valueOf(LoginRealm.LOCK_THRESHOLD)));
        }
        return realm.isLocked(lockedAt, now);
    }

    /**
     * Resets the count after a right password; returns {@code false} when the login was locked in
     * the meantime (by a wrong password on another node), in which case the login must be refused.
     * In the password factor's transaction of a right password, with the throttle's bookkeeping.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean recordSuccess(LoginRealm realm, SignInAccount account) {
        Instant now = clock.instant();
        return jdbc.sql("UPDATE " + realm.table() + " SET failed_login_count = 0, login_locked_at = NULL"
                        + " WHERE id = :id AND " + NOT_LOCKED)
                .param("id", account.id()).param("expiredBefore", expiredBefore(realm, now))
                .update() == 1;
    }

    /**
     * Replaces a right password's hash of an older kind or cost with a new one, if no one changed it
     * meanwhile; with its audit row.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    void rehash(LoginRealm realm, SignInAccount account, String oldHash, String newHash) {
        int updated = jdbc.sql("UPDATE " + realm.table() + " SET password_hash = :new WHERE id = :id AND password_hash = :old")
                .param("new", newHash).param("id", account.id()).param("old", oldHash).update();
        if (updated == 1) {
            audit.record(AuditEvent.of("PASSWORD_HASH_UPGRADED", "system").company(account.companyId())
                    .subject(account.auditSubject()).detail("algorithm", newHash.substring(0, newHash.indexOf('}') + 1)));
        }
    }

    /** Whether a login ID that does not exist is locked (by wrong passwords typed with it). */
    @Transactional(readOnly = true)
    boolean isUnknownLoginLocked(LoginRealm realm, String loginId) {
        return jdbc.sql("SELECT login_locked_at FROM signin_unknown_login WHERE realm = :realm AND login_digest = :digest")
                .param("realm", realm.name()).param("digest", digest(realm, loginId))
                .query((row, number) -> Optional.ofNullable(instant(row.getObject("login_locked_at", OffsetDateTime.class))))
                .optional()
                .map(lockedAt -> realm.isLocked(lockedAt.orElse(null), clock.instant()))
                .orElse(false);
    }

    /** The keyed digest under which an unknown login ID is counted (and named in the audit log). */
    String digest(LoginRealm realm, String loginId) {
        return secrets.keyedDigest("login-id:" + realm.name(), loginId == null ? "" : loginId);
    }

    private boolean recordUnknownFailure(LoginRealm realm, String loginId, Instant now) {
        String digest = digest(realm, loginId);
        if (countUnknown(realm, digest, now) == 0) {
            int inserted = jdbc.sql("""
                            INSERT INTO signin_unknown_login (realm, login_digest, failed_login_count, last_failed_at)
                            VALUES (:realm, :digest, 1, :now) ON CONFLICT DO NOTHING""")
                    .param("realm", realm.name()).param("digest", digest).param("now", utc(now))
                    .update();
            if (inserted == 0) {
                countUnknown(realm, digest, now);
            }
        }
        Instant lockedAt = jdbc.sql("SELECT login_locked_at FROM signin_unknown_login WHERE realm = :realm AND login_digest = :digest")
                .param("realm", realm.name()).param("digest", digest)
                .query((row, number) -> Optional.ofNullable(instant(row.getObject("login_locked_at", OffsetDateTime.class))))
                .single().orElse(null);
        return realm.isLocked(lockedAt, now);
    }

    private int countUnknown(LoginRealm realm, String digest, Instant now) {
        return jdbc.sql("UPDATE signin_unknown_login SET " + COUNT_ONE_MORE + ", last_failed_at = :now"
                        + " WHERE realm = :realm AND login_digest = :digest AND " + NOT_LOCKED)
                .param("threshold", LoginRealm.LOCK_THRESHOLD).param("now", utc(now))
                .param("expiredBefore", expiredBefore(realm, now))
                .param("realm", realm.name()).param("digest", digest)
                .update();
    }

    /**
     * One more wrong password: after a lock that has ended, counting starts again at one. (Both
     * right-hand sides read the row's values before the update, on PostgreSQL and H2 alike.)
     */
    private static final String COUNT_ONE_MORE = """
            failed_login_count = CASE WHEN login_locked_at IS NULL THEN failed_login_count + 1 ELSE 1 END,
            login_locked_at = CASE WHEN (CASE WHEN login_locked_at IS NULL THEN failed_login_count + 1 ELSE 1 END)
                >= :threshold THEN :now ELSE NULL END""";

    /** Not locked, or locked by a lock that has ended. */
    private static final String NOT_LOCKED = "(login_locked_at IS NULL OR login_locked_at <= :expiredBefore)";

    private static OffsetDateTime expiredBefore(LoginRealm realm, Instant now) {
        return realm.lockLasts().map(duration -> utc(now.minus(duration))).orElse(NEVER);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
