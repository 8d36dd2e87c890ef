package io.kagi.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox as the bank operator sees it: mails given up ({@code FAILED}) with their last error,
 * counts per status, and a retry of a failed mail. For the operator console. Thread-safe.
 */
@Service
public class OutboxAdministration {

    private static final String COLUMNS = """
            id, kind, language, recipient, subject, status, attempts, last_error, created_at, next_attempt_at,
            last_attempt_at, sent_at, claimed_by""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;

    OutboxAdministration(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    /** The mails given up, newest first, at most {@code limit}. */
    public List<OutboxMail> failed(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mail_outbox WHERE status = 'FAILED' ORDER BY id DESC LIMIT :limit")
                .param("limit", limit)
                .query((row, number) -> map(row))
                .list();
    }

    /** The latest mails of any status, newest first, at most {@code limit}. */
    public List<OutboxMail> latest(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mail_outbox ORDER BY id DESC LIMIT :limit")
                .param("limit", limit)
                .query((row, number) -> map(row))
                .list();
    }

    public Optional<OutboxMail> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mail_outbox WHERE id = :id")
                .param("id", id)
                .query((row, number) -> map(row))
                .optional();
    }

    /** How many mails stand in each status (every status present, zero included). */
    public Map<MailStatus, Long> countByStatus() {
        Map<MailStatus, Long> counts = new EnumMap<>(MailStatus.class);
        for (MailStatus status : MailStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("SELECT status, COUNT(*) AS n FROM mail_outbox GROUP BY status")
                .query((row, number) -> counts.put(MailStatus.valueOf(row.getString("status")), row.getLong("n")))
                .list();
        return counts;
    }

    /**
     * Puts a {@code FAILED} mail back in line for delivery now, with a fresh count of attempts, and
     * records who asked in the audit log.
     *
     * @param actor who asks, e.g. {@code operator:<id>}
     * @return {@code false} if no failed mail has this ID
     */
    @Transactional
    public boolean retry(long id, String actor) {
        int updated = jdbc.sql("""
                        UPDATE mail_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = :now
                        WHERE id = :id AND status = 'FAILED'""")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .param("id", id)
                .update();
        if (updated == 1) {
            audit.record(AuditEvent.of("MAIL_RETRY_REQUESTED", actor).subject("mail:" + id));
        }
        return updated == 1;
    }

    static OutboxMail map(ResultSet row) throws SQLException {
        return new OutboxMail(row.getLong("id"), row.getString("kind"), row.getString("language"),
                row.getString("recipient"), row.getString("subject"), MailStatus.valueOf(row.getString("status")),
                row.getInt("attempts"), row.getString("last_error"), instant(row, "created_at"),
                instant(row, "next_attempt_at"), instant(row, "last_attempt_at"), instant(row, "sent_at"),
                row.getString("claimed_by"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
