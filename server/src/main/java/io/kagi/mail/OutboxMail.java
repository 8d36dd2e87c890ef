package io.kagi.mail;

import java.time.Instant;
import java.util.Objects;

/**
 * One mail of the outbox as the operator console shows it (without its body).
 *
 * @param id the outbox row's ID
 * @param kind the template it was written from, e.g. {@code token-issued}
 * @param language the template's language, e.g. {@code ja}
 * @param recipient the address it goes to
 * @param subject its subject
 * @param status where it stands
 * @param attempts delivery attempts so far
 * @param lastError why the last attempt failed, or {@code null}
 * @param createdAt when it was written (with the event that caused it)
 * @param nextAttemptAt when a sender may try it next (for {@code PENDING})
 * @param lastAttemptAt when a sender last tried it, or {@code null}
 * @param sentAt when the SMTP server accepted it, or {@code null}
 * @param claimedBy the node that last claimed it, or {@code null}
 */
public record OutboxMail(long id, String kind, String language, String recipient, String subject, MailStatus status,
                         int attempts, String lastError, Instant createdAt, Instant nextAttemptAt,
                         Instant lastAttemptAt, Instant sentAt, String claimedBy) {

    public OutboxMail {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
