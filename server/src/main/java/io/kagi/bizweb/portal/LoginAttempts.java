package io.kagi.bizweb.portal;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts consecutive wrong login passwords in the database with conditional updates, so that the
 * count is exact when several nodes serve the same user at once. The fifth wrong password in a row
 * locks the login; a right one resets the count.
 */
@Component
class LoginAttempts {

    static final int LOCK_THRESHOLD = 5;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;

    LoginAttempts(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    /** Counts one wrong password; returns whether the login is locked now. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    boolean recordFailure(PortalAccount account) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        if (account.isPhantom()) {
            return recordUnknownFailure(account.loginId(), now);
        }
        int counted = jdbc.sql("""
                        UPDATE bizweb_user
                        SET failed_login_count = failed_login_count + 1,
                            login_locked_at = CASE WHEN failed_login_count + 1 >= :threshold THEN :now ELSE NULL END
                        WHERE id = :id AND login_locked_at IS NULL""")
                .param("threshold", LOCK_THRESHOLD).param("now", now).param("id", account.id())
                .update();
        boolean locked = jdbc.sql("SELECT login_locked_at IS NOT NULL FROM bizweb_user WHERE id = :id")
                .param("id", account.id()).query(Boolean.class).single();
        if (counted == 1 && locked) {
            audit.record(AuditEvent.of("LOGIN_LOCKED", "system").company(account.companyId())
                    .subject("user:" + account.loginId()).detail("role", account.role().name())
                    .detail("consecutiveFailures", String.valueOf(LOCK_THRESHOLD)));
        }
        return locked;
    }

    /**
     * Resets the count after a right password; returns {@code false} when the login was locked in
     * the meantime (by a wrong password on another node), in which case the login must be refused.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    boolean recordSuccess(PortalAccount account) {
        return jdbc.sql("UPDATE bizweb_user SET failed_login_count = 0 WHERE id = :id AND login_locked_at IS NULL")
                .param("id", account.id())
                .update() == 1;
    }

    private boolean recordUnknownFailure(String loginId, OffsetDateTime now) {
        String key = loginId.length() > 64 ? loginId.substring(0, 64) : loginId;
        int updated = increment(key, now);
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO bizweb_unknown_login (login_id, failed_login_count, last_failed_at) VALUES (:id, 1, :now)")
                        .param("id", key).param("now", now).update();
            } catch (DuplicateKeyException raced) {
                increment(key, now);
            }
        }
        return jdbc.sql("SELECT failed_login_count FROM bizweb_unknown_login WHERE login_id = :id")
                .param("id", key).query(Integer.class).single() >= LOCK_THRESHOLD;
    }

    private int increment(String key, OffsetDateTime now) {
        return jdbc.sql("""
                        UPDATE bizweb_unknown_login SET failed_login_count = failed_login_count + 1, last_failed_at = :now
                        WHERE login_id = :id""")
                .param("id", key).param("now", now).update();
    }
}
