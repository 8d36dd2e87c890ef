package io.kagi.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kagi.audit.AuditLog;
import io.kagi.platform.BankProperties;
import io.kagi.test.KagiIntegrationTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several senders on one database, as several nodes run them: each mail is claimed by one sender
 * only ({@code FOR UPDATE SKIP LOCKED}, on H2 and on PostgreSQL), a row locked by one sender is
 * skipped rather than waited for, and a mail left {@code SENDING} by a node that stopped is sent
 * again once its lease has run out. This node's own sender loop is off: the test drives senders.
 */
@KagiIntegrationTest
class OutboxConcurrencyIntegrationTests {

    static final SmtpServer smtp = new SmtpServer();

    @DynamicPropertySource
    static void mailSettings(DynamicPropertyRegistry registry) {
        smtp.register(registry);
        registry.add("kagi.mail.sender-enabled", () -> false);
        registry.add("kagi.mail.max-attempts", () -> 3);
    }

    @Autowired
    Outbox outbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JavaMailSender mailSender;

    @Autowired
    MailSettings settings;

    @Autowired
    BankProperties bank;

    @Autowired
    Clock clock;

    @Autowired
    AuditLog audit;

    @Autowired
    OutboxAdministration administration;

    @BeforeEach
    void smtpIsUp() {
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @Test
    void severalSendersAtOnceDeliverEachMailExactlyOnce() throws Exception {
        int mails = 60;
        List<String> recipients = new ArrayList<>();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            for (int i = 0; i < mails; i++) {
                String recipient = OutboxDeliveryIntegrationTests.address("many-" + i);
                recipients.add(recipient);
                outbox.send("token-revoked", Locale.JAPANESE, recipient, Map.of("serviceId", "12345678",
                        "serviceName", "かぎ銀行ビジネスWeb", "userId", String.format("%06d", i), "at", clock.instant().atZone(settings.timeZone())));
            }
        });
        List<OutboxSender> senders = List.of(sender("node-a", 3), sender("node-b", 3), sender("node-c", 3));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(senders.size());
        Instant began = Instant.now();
        List<Future<Integer>> claimed = new ArrayList<>();
        for (OutboxSender sender : senders) {
            claimed.add(threads.submit(() -> {
                start.await();
                int total = 0;
                long idle = 0;
                while (idle < 20) {
                    int batch = sender.sendDueMails();
                    total += batch;
                    idle = batch == 0 ? idle + 1 : 0;
                    if (batch == 0) {
                        Thread.sleep(10);
                    }
                }
                return total;
            }));
        }
        start.countDown();
        int claims = 0;
        for (Future<Integer> each : claimed) {
            claims += each.get(60, TimeUnit.SECONDS);
        }
        long elapsed = Duration.between(began, Instant.now()).toMillis();
        threads.shutdown();

        assertThat(claims).as("claims over all senders").isEqualTo(mails);
        for (String recipient : recipients) {
            assertThat(smtp.receivedFor(recipient)).as("mails received by " + recipient).hasSize(1);
        }
        List<String> messageIds = new ArrayList<>();
        for (String recipient : recipients) {
            MimeMessage message = smtp.receivedFor(recipient).get(0);
            messageIds.add(message.getMessageID());
        }
        assertThat(messageIds).doesNotHaveDuplicates();
        Map<String, Long> byNode = new HashMap<>();
        jdbc.sql("SELECT claimed_by, COUNT(*) AS n FROM mail_outbox WHERE recipient IN (:recipients) AND status = 'SENT' GROUP BY claimed_by")
                .param("recipients", recipients)
                .query((row, number) -> byNode.put(row.getString("claimed_by"), row.getLong("n")))
                .list();
        assertThat(byNode.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(mails);
        System.out.printf("FIGURE mail: %d mails by %d concurrent senders in %d ms, each delivered once; per sender %s (%s)%n",
                mails, senders.size(), elapsed, byNode, DatabaseName.current());
    }

    @Test
    void aMailLockedByAnotherSenderIsSkippedNotWaitedFor() throws Exception {
        String recipient = OutboxDeliveryIntegrationTests.address("locked");
        long id = outbox.send("token-locked", Locale.JAPANESE, recipient, token());
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> otherSender = CompletableFuture.runAsync(() ->
                new TransactionTemplate(transactions).executeWithoutResult(status -> {
                    jdbc.sql("SELECT id FROM mail_outbox WHERE id = :id FOR UPDATE").param("id", id).query(Long.class).single();
                    locked.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        OutboxSender sender = sender("node-a", 20);

        CompletableFuture.supplyAsync(sender::sendDueMails).get(5, TimeUnit.SECONDS);

        assertThat(administration.find(id).orElseThrow().status()).isEqualTo(MailStatus.PENDING);
        assertThat(smtp.receivedFor(recipient)).isEmpty();
        release.countDown();
        otherSender.get(10, TimeUnit.SECONDS);

        sender.sendDueMails();
        assertThat(smtp.receivedFor(recipient)).hasSize(1);
        assertThat(administration.find(id).orElseThrow().status()).isEqualTo(MailStatus.SENT);
    }

    @Test
    void aMailLeftSendingByAStoppedNodeIsSentAgainOnlyAfterItsLease() throws Exception {
        String recipient = OutboxDeliveryIntegrationTests.address("orphan");
        long id = outbox.send("token-activated", Locale.JAPANESE, recipient, token());
        leftSendingByAStoppedNode(id, 1, Duration.ofHours(1));
        OutboxSender sender = sender("node-b", 20);

        sender.sendDueMails();
        assertThat(smtp.receivedFor(recipient)).as("the lease still holds").isEmpty();

        leftSendingByAStoppedNode(id, 1, Duration.ofSeconds(-1));
        sender.sendDueMails();

        assertThat(smtp.receivedFor(recipient)).hasSize(1);
        assertThat(smtp.receivedFor(recipient).get(0).getMessageID()).startsWith("<kagi-mail." + id + ".");
        OutboxMail mail = administration.find(id).orElseThrow();
        assertThat(mail.status()).isEqualTo(MailStatus.SENT);
        assertThat(mail.attempts()).isEqualTo(2);
        assertThat(mail.claimedBy()).isEqualTo("node-b");
    }

    @Test
    void aMailWhoseLastAttemptDiedWithItsNodeIsGivenUp() {
        String recipient = OutboxDeliveryIntegrationTests.address("last-orphan");
        long id = outbox.send("token-activated", Locale.JAPANESE, recipient, token());
        leftSendingByAStoppedNode(id, settings.maxAttempts(), Duration.ofSeconds(-1));

        sender("node-c", 20).sendDueMails();

        assertThat(smtp.receivedFor(recipient)).isEmpty();
        OutboxMail mail = administration.find(id).orElseThrow();
        assertThat(mail.status()).isEqualTo(MailStatus.FAILED);
        assertThat(mail.lastError()).contains("lease expired");
    }

    private void leftSendingByAStoppedNode(long id, int attempts, Duration leaseLeft) {
        jdbc.sql("""
                        UPDATE mail_outbox SET status = 'SENDING', attempts = :attempts, claimed_by = 'stopped-node',
                               claim_token = 'gone', lease_until = :lease
                        WHERE id = :id""")
                .param("attempts", attempts)
                .param("lease", clock.instant().plus(leaseLeft).atOffset(ZoneOffset.UTC))
                .param("id", id)
                .update();
    }

    private Map<String, Object> token() {
        return Map.of("serviceId", "12345678", "serviceName", "かぎ銀行ビジネスWeb", "userId", "004321",
                "at", clock.instant().atZone(settings.timeZone()));
    }

    private OutboxSender sender(String node, int batchSize) {
        MailSettings own = new MailSettings(false, settings.from(), settings.maxAttempts(), settings.initialBackoff(),
                settings.maxBackoff(), settings.pollInterval(), settings.lease(), batchSize, true, node, null, settings.timeZone());
        return new OutboxSender(jdbc, transactions, mailSender, own, bank, clock, audit, new SimpleMeterRegistry(), node);
    }
}
