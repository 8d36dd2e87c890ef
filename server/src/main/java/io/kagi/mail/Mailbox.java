package io.kagi.mail;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the outbox for the local mailbox page, newest first. */
@Component
class Mailbox {

    private final JdbcClient jdbc;
    private final OutboxAdministration outbox;

    Mailbox(JdbcClient jdbc, OutboxAdministration outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    List<OutboxMail> latest(int limit) {
        return outbox.latest(limit);
    }

    Optional<CapturedMail> find(long id) {
        return outbox.find(id).map(mail -> new CapturedMail(mail,
                jdbc.sql("SELECT body FROM mail_outbox WHERE id = :id").param("id", id).query(String.class).single()));
    }
}
