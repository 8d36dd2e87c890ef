package io.kagi.mail;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the outbox for the local mailbox page, newest first. */
@Component
class Mailbox {

    private final JdbcClient jdbc;

    Mailbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<CapturedMail> latest(int limit) {
        return jdbc.sql("SELECT id, kind, recipient, subject, body, status, created_at FROM mail_outbox ORDER BY id DESC LIMIT :limit")
                .param("limit", limit)
                .query((row, number) -> map(row))
                .list();
    }

    Optional<CapturedMail> find(long id) {
        return jdbc.sql("SELECT id, kind, recipient, subject, body, status, created_at FROM mail_outbox WHERE id = :id")
                .param("id", id)
                .query((row, number) -> map(row))
                .optional();
    }

    private static CapturedMail map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new CapturedMail(row.getLong("id"), row.getString("kind"), row.getString("recipient"),
                row.getString("subject"), row.getString("body"), row.getString("status"),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
