package io.kagi.mail;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

import io.kagi.mail.MailTemplates.RenderedMail;
import io.kagi.platform.MailAddresses;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: a mail is rendered and written in the caller's transaction, so it
 * commits (and is later delivered) exactly when the change that causes it commits, and vanishes
 * when that change rolls back. A sender on any node delivers it after the commit, with retries.
 *
 * <p>For modules other than the token authority (whose lifecycle events the mail module listens to
 * by itself). Thread-safe.
 */
@Service
public class Outbox {

    private final JdbcClient jdbc;
    private final MailTemplates templates;
    private final Clock clock;
    private final ObjectProvider<OutboxSenderLoop> senderLoop;

    Outbox(JdbcClient jdbc, MailTemplates templates, Clock clock, ObjectProvider<OutboxSenderLoop> senderLoop) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.clock = clock;
        this.senderLoop = senderLoop;
    }

    /**
     * Writes a mail from a template into the outbox, joining the caller's transaction (or in a
     * transaction of its own when there is none).
     *
     * @param template the template's name, e.g. {@code token-locked}: the file
     *                 {@code <template>_<language>.txt} (see {@code mail-templates/})
     * @param locale the recipient's language; Japanese where no template exists in it ({@code null}: Japanese)
     * @param recipient one mail address (RFC 822 syntax, checked strictly)
     * @param model the template's variables; never a password, seed or one-time password
     * @return the outbox row's ID
     * @throws IllegalArgumentException for an invalid address or an unknown or malformed template:
     *                                  the caller's transaction then rolls back
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public long send(String template, Locale locale, String recipient, Map<String, ?> model) {
        String address = checkedAddress(recipient);
        RenderedMail mail = templates.render(template, locale, model);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO mail_outbox (kind, language, recipient, subject, body, status, attempts,
                                                 next_attempt_at, created_at)
                        VALUES (:kind, :language, :recipient, :subject, :body, 'PENDING', 0, :now, :now)""")
                .param("kind", mail.kind())
                .param("language", mail.language())
                .param("recipient", address)
                .param("subject", truncate(mail.subject(), 300))
                .param("body", mail.body())
                .param("now", now)
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        wakeSenderAfterCommit();
        return id;
    }

    private void wakeSenderAfterCommit() {
        OutboxSenderLoop loop = senderLoop.getIfAvailable();
        if (loop == null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    loop.wakeUp();
                }
            });
        } else {
            loop.wakeUp();
        }
    }

    /** One bare address by {@link MailAddresses}' rule, the same the forms check (JavaMail's parser refuses old carrier addresses). */
    static String checkedAddress(String recipient) {
        String address = recipient == null ? null : recipient.strip();
        if (!MailAddresses.isValid(address)) {
            throw new IllegalArgumentException("Not a valid mail address (MailAddresses' rule)");
        }
        return address;
    }

    private static String truncate(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }
}
