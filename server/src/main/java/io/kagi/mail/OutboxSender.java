package io.kagi.mail;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.BankProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers due mails of the outbox. One run claims a batch in a short transaction
 * ({@code SELECT … FOR UPDATE SKIP LOCKED}, then {@code SENDING} with a lease), sends each mail
 * outside any database lock, and records the outcome: {@code SENT} (or {@code CAPTURED} in capture
 * mode), a retry after a growing back-off, or {@code FAILED} after {@code kagi.mail.max-attempts}.
 *
 * <p>Any number of senders may run at once, on one node or many: a mail is claimed by one of them
 * only, so concurrent senders never send it twice. A mail whose sender stopped mid-send (its lease
 * ran out) is sent again by another: in that crash window delivery is at least once, and the
 * repeated mail carries the same {@code Message-ID}.
 *
 * <p>When the database goes away while the node keeps running (a failover), nothing is sent twice
 * and nothing waits for its lease: a mail delivered whose outcome could not be recorded is
 * remembered and recorded first thing on the next run, and a claim whose transaction failed (it
 * may have committed on a standby that is now the primary) or whose batch was cut short is
 * released, so that its mails not yet attempted become due again at once. What is remembered is
 * dropped once its lease has run out (another sender may have taken the mail by then). Not
 * thread-safe per instance: one thread calls {@link #sendDueMails()} at a time.
 */
class OutboxSender {

    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final JavaMailSender smtp;
    private final MailSettings settings;
    private final BankProperties bank;
    private final Clock clock;
    private final AuditLog audit;
    private final String nodeId;
    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter givenUp;
    private final Timer latency;
    /** Delivered mails whose outcome is still to be recorded (the database was away). */
    private final List<Unrecorded> unrecorded = new ArrayList<>();
    /** Claims that may hold mails this sender never attempted, to release when the database is back. */
    private final List<Claim> unreleased = new ArrayList<>();

    /**
     * @param smtp the SMTP client, or {@code null} in capture mode
     * @param nodeId this sender's name in {@code claimed_by}
     */
    OutboxSender(JdbcClient jdbc, PlatformTransactionManager transactions, JavaMailSender smtp, MailSettings settings,
                 BankProperties bank, Clock clock, AuditLog audit, MeterRegistry meters, String nodeId) {
        if (smtp == null && !settings.capture()) {
            throw new IllegalStateException("kagi.mail.capture=false needs an SMTP server: set spring.mail.host (KAGI_SMTP_HOST)");
        }
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.smtp = smtp;
        this.settings = settings;
        this.bank = bank;
        this.clock = clock;
        this.audit = audit;
        this.nodeId = nodeId;
        this.delivered = Counter.builder("kagi.mail.delivered").description("Mails accepted by the SMTP server or captured").register(meters);
        this.failedAttempts = Counter.builder("kagi.mail.attempts.failed").description("Delivery attempts that failed").register(meters);
        this.givenUp = Counter.builder("kagi.mail.failed").description("Mails given up as FAILED").register(meters);
        this.latency = Timer.builder("kagi.mail.delivery.latency").description("From the commit of a mail to its delivery")
                .publishPercentiles(0.5, 0.95).register(meters);
    }

    String nodeId() {
        return nodeId;
    }

    /**
     * Claims the due mails (at most {@code kagi.mail.batch-size}) and delivers them.
     *
     * @return how many mails were claimed
     */
    int sendDueMails() {
        settleLeftovers();
        Claim claim = new Claim(UUID.randomUUID().toString(), clock.instant().plus(settings.lease()));
        List<ClaimedMail> batch;
        try {
            batch = transaction.execute(status -> claim(claim.token()));
        } catch (RuntimeException e) {
            unreleased.add(claim);
            throw e;
        }
        try {
            for (ClaimedMail mail : batch) {
                deliver(mail, claim);
            }
        } catch (RuntimeException e) {
            unreleased.add(claim);
            throw e;
        }
        return batch.size();
    }

    /**
     * Records the outcomes left over from a run that lost the database, then releases the claims
     * it left; throws (and keeps the rest) while the database is still away.
     */
    private void settleLeftovers() {
        Instant now = clock.instant();
        unrecorded.removeIf(left -> expired(left.claim(), now));
        unreleased.removeIf(left -> expired(left, now));
        while (!unrecorded.isEmpty()) {
            Unrecorded left = unrecorded.get(0);
            recordOutcome(left.mailId(), left.claim().token(), left.status());
            unrecorded.remove(0);
            log.info("Mail {} delivered while the database was away: recorded now", left.mailId());
        }
        while (!unreleased.isEmpty()) {
            Claim left = unreleased.get(0);
            int released = jdbc.sql("""
                            UPDATE mail_outbox SET status = 'PENDING', attempts = attempts - 1, lease_until = NULL,
                                   claim_token = NULL, claimed_by = NULL
                            WHERE claim_token = :token AND status = 'SENDING'""")
                    .param("token", left.token())
                    .update();
            unreleased.remove(0);
            if (released > 0) {
                log.info("Released {} mail(s) claimed but not attempted while the database was away", released);
            }
        }
    }

    private boolean expired(Claim claim, Instant now) {
        if (now.isBefore(claim.leaseUntil())) {
            return false;
        }
        log.warn("Gave up recording a claim of this sender after its lease ran out; its mails may be sent again");
        return true;
    }

    private List<ClaimedMail> claim(String claimToken) {
        OffsetDateTime now = now();
        List<ClaimedMail> due = jdbc.sql("""
                        SELECT id, recipient, subject, body, attempts, status, created_at FROM mail_outbox
                        WHERE (status = 'PENDING' AND next_attempt_at <= :now)
                           OR (status = 'SENDING' AND lease_until <= :now)
                        ORDER BY next_attempt_at, id
                        LIMIT :batch
                        FOR UPDATE SKIP LOCKED""")
                .param("now", now)
                .param("batch", settings.batchSize())
                .query((row, number) -> new ClaimedMail(row.getLong("id"), row.getString("recipient"),
                        row.getString("subject"), row.getString("body"), row.getInt("attempts") + 1,
                        MailStatus.valueOf(row.getString("status")),
                        row.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
        if (due.isEmpty()) {
            return due;
        }
        List<ClaimedMail> abandoned = due.stream()
                .filter(mail -> mail.previousStatus() == MailStatus.SENDING && mail.attempt() > settings.maxAttempts())
                .toList();
        for (ClaimedMail mail : abandoned) {
            giveUp(mail.id(), mail.attempt() - 1, "The sender stopped during the last attempt (lease expired)");
        }
        List<ClaimedMail> claimed = due.stream().filter(mail -> !abandoned.contains(mail)).toList();
        if (!claimed.isEmpty()) {
            jdbc.sql("""
                            UPDATE mail_outbox SET status = 'SENDING', attempts = attempts + 1, claimed_by = :node,
                                   claim_token = :token, lease_until = :lease, last_attempt_at = :now
                            WHERE id IN (:ids)""")
                    .param("node", nodeId)
                    .param("token", claimToken)
                    .param("lease", now.plus(settings.lease()))
                    .param("now", now)
                    .param("ids", claimed.stream().map(ClaimedMail::id).toList())
                    .update();
        }
        return claimed;
    }

    private void deliver(ClaimedMail mail, Claim claim) {
        String claimToken = claim.token();
        if (settings.capture()) {
            finish(mail, claim, MailStatus.CAPTURED);
            return;
        }
        try {
            smtp.send(message -> prepare(message, mail));
        } catch (MailException e) {
            failedAttempts.increment();
            boolean permanent = isPermanent(e);
            String error = describe(e);
            if (permanent || mail.attempt() >= settings.maxAttempts()) {
                transaction.executeWithoutResult(status -> {
                    if (markFailed(mail.id(), claimToken, error)) {
                        recordGiveUp(mail.id(), mail.attempt(), error);
                    }
                });
                log.warn("Mail {} given up after {} attempt(s): {}", mail.id(), mail.attempt(), error);
            } else {
                Duration wait = settings.backoffAfter(mail.attempt());
                int updated = jdbc.sql("""
                                UPDATE mail_outbox SET status = 'PENDING', last_error = :error, next_attempt_at = :next,
                                       lease_until = NULL, claim_token = NULL
                                WHERE id = :id AND claim_token = :token""")
                        .param("error", error)
                        .param("next", now().plus(wait))
                        .param("id", mail.id())
                        .param("token", claimToken)
                        .update();
                if (updated == 1) {
                    log.info("Mail {} attempt {} failed, next in {}: {}", mail.id(), mail.attempt(), wait, error);
                }
            }
            return;
        }
        finish(mail, claim, MailStatus.SENT);
    }

    private void prepare(MimeMessage message, ClaimedMail mail) throws MessagingException {
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        try {
            helper.setFrom(new InternetAddress(settings.from(), bank.name(), StandardCharsets.UTF_8.name()));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        InternetAddress to = new InternetAddress();
        to.setAddress(mail.recipient()); // checked by Outbox; JavaMail's parser refuses old carrier addresses with ".."
        helper.setTo(to);
        helper.setSubject(mail.subject());
        helper.setText(mail.body(), false);
        helper.setSentDate(java.util.Date.from(clock.instant()));
        message.setHeader("Message-ID", messageId(mail.id(), mail.createdAt(), settings.from()));
        message.setHeader("Auto-Submitted", "auto-generated");
    }

    /**
     * The {@code Message-ID} of an outbox mail: the same for every attempt, so a receiver can
     * recognise a repeated delivery; unique across database resets through the creation time.
     */
    static String messageId(long id, Instant createdAt, String from) {
        String domain = from.substring(from.indexOf('@') + 1);
        return "<kagi-mail." + id + "." + createdAt.toEpochMilli() + "@" + domain + ">";
    }

    /** Counts the delivery and records it; when the database is away, remembers it for the next run and rethrows. */
    private void finish(ClaimedMail mail, Claim claim, MailStatus status) {
        delivered.increment();
        latency.record(Duration.between(mail.createdAt(), clock.instant()));
        try {
            recordOutcome(mail.id(), claim.token(), status);
        } catch (RuntimeException e) {
            unrecorded.add(new Unrecorded(mail.id(), claim, status));
            throw e;
        }
    }

    private void recordOutcome(long id, String claimToken, MailStatus status) {
        int updated = jdbc.sql("""
                        UPDATE mail_outbox SET status = :status, sent_at = :now, lease_until = NULL, claim_token = NULL,
                               last_error = NULL
                        WHERE id = :id AND claim_token = :token""")
                .param("status", status.name())
                .param("now", now())
                .param("id", id)
                .param("token", claimToken)
                .update();
        if (updated == 0) {
            log.warn("Mail {} was delivered after its lease ran out; another sender may deliver it again", id);
        }
    }

    private boolean markFailed(long id, String claimToken, String error) {
        return jdbc.sql("""
                        UPDATE mail_outbox SET status = 'FAILED', last_error = :error, lease_until = NULL, claim_token = NULL
                        WHERE id = :id AND claim_token = :token""")
                .param("error", error)
                .param("id", id)
                .param("token", claimToken)
                .update() == 1;
    }

    private void giveUp(long id, int attempts, String error) {
        jdbc.sql("UPDATE mail_outbox SET status = 'FAILED', last_error = :error, lease_until = NULL, claim_token = NULL WHERE id = :id")
                .param("error", error)
                .param("id", id)
                .update();
        recordGiveUp(id, attempts, error);
        log.warn("Mail {} given up after {} attempt(s): {}", id, attempts, error);
    }

    private void recordGiveUp(long id, int attempts, String error) {
        givenUp.increment();
        audit.record(AuditEvent.of("MAIL_DELIVERY_FAILED", "system")
                .subject("mail:" + id)
                .detail("attempts", Integer.toString(attempts))
                .detail("error", error.length() > 200 ? error.substring(0, 200) : error));
    }

    /**
     * Refused for good: the message could not be built, an address could not be read, or the server
     * refused every recipient (5xx).
     */
    private static boolean isPermanent(MailException e) {
        if (e instanceof MailPreparationException) {
            return true;
        }
        if (e instanceof MailSendException send
                && send.getFailedMessages().values().stream().anyMatch(OutboxSender::refusedEveryRecipient)) {
            return true;
        }
        return refusedEveryRecipient(e);
    }

    private static boolean refusedEveryRecipient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof jakarta.mail.internet.AddressException) {
                return true;
            }
            if (cause instanceof SendFailedException failed) {
                return isEmpty(failed.getValidSentAddresses()) && isEmpty(failed.getValidUnsentAddresses())
                        && !isEmpty(failed.getInvalidAddresses());
            }
        }
        return false;
    }

    private static boolean isEmpty(Object[] addresses) {
        return addresses == null || addresses.length == 0;
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + e.getMessage()
                + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
        text = text.replace('\r', ' ').replace('\n', ' ');
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    /** One run's claim: its token and when its lease runs out. */
    private record Claim(String token, Instant leaseUntil) {
    }

    /** A mail delivered (or captured) whose outcome is not yet in the database. */
    private record Unrecorded(long mailId, Claim claim, MailStatus status) {
    }

    private record ClaimedMail(long id, String recipient, String subject, String body, int attempt,
                               MailStatus previousStatus, Instant createdAt) {

        @Override
        public String toString() {
            return "ClaimedMail[" + id + ", attempt " + attempt + "]";
        }
    }
}
