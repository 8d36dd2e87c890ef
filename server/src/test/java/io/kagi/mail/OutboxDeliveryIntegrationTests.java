package io.kagi.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenIssued;
import io.kagi.authority.TokenLocked;
import io.kagi.authority.UserId;
import io.kagi.platform.BankProperties;
import io.kagi.test.KagiIntegrationTest;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox end to end, as a node runs it: the authority's event is published in a transaction,
 * the mail commits with it, and this node's sender loop delivers it to a real SMTP server
 * (GreenMail) — or retries while the server is down, and gives up after the configured attempts.
 */
@KagiIntegrationTest
class OutboxDeliveryIntegrationTests {

    static final SmtpServer smtp = new SmtpServer();

    @DynamicPropertySource
    static void mailSettings(DynamicPropertyRegistry registry) {
        smtp.register(registry);
        registry.add("kagi.mail.poll-interval", () -> "100ms");
        registry.add("kagi.mail.initial-backoff", () -> "300ms");
        registry.add("kagi.mail.max-backoff", () -> "1s");
        registry.add("kagi.mail.max-attempts", () -> 4);
        registry.add("kagi.bank.support-phone", () -> "0120-987-654");
    }

    @Autowired
    io.kagi.platform.Origins origins;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BankProperties bank;

    @Autowired
    OutboxAdministration administration;

    @Autowired
    Clock clock;

    @BeforeEach
    void smtpIsUp() {
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @Test
    void issuanceNoticeArrivesWithTheIdsAndDecodesAsJapanese() throws Exception {
        String recipient = address("hanako");
        Instant committed = issue(recipient, Locale.JAPANESE);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5))
                .until(() -> smtp.receivedFor(recipient).size() == 1);
        long seen = Duration.between(committed, Instant.now()).toMillis();
        await().atMost(Duration.ofSeconds(5)).until(() -> administration.find(outboxIdOf(recipient)).orElseThrow().sentAt() != null);
        OutboxMail row = administration.find(outboxIdOf(recipient)).orElseThrow();
        System.out.printf("FIGURE mail: issuance notice accepted by SMTP %d ms after it was written, seen at the server %d ms after the commit (%s)%n",
                Duration.between(row.createdAt(), row.sentAt()).toMillis(), seen, DatabaseName.current());

        MimeMessage message = smtp.receivedFor(recipient).get(0);
        assertThat(message.getSubject()).isEqualTo("【かぎ銀行】トークン発行のお知らせ");
        assertThat(message.getHeader("Subject")[0]).as("the raw header is MIME-encoded UTF-8").startsWith("=?UTF-8?");
        InternetAddress from = (InternetAddress) message.getFrom()[0];
        assertThat(from.getPersonal()).isEqualTo("かぎ銀行");
        assertThat(from.getAddress()).isEqualTo("noreply@kagi.localhost");
        assertThat(message.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat((String) message.getContent())
                .contains("サービスID：12345678", "ユーザID　：012345")
                .contains("利用開始パスワード", origins.appUrl(), "携帯電話", "0120-987-654", "控え");
        long id = outboxIdOf(recipient);
        assertThat(message.getMessageID()).startsWith("<kagi-mail." + id + ".");
        assertThat(administration.find(id)).hasValueSatisfying(mail -> {
            assertThat(mail.status()).isEqualTo(MailStatus.SENT);
            assertThat(mail.attempts()).isEqualTo(1);
            assertThat(mail.sentAt()).isNotNull();
            assertThat(mail.lastError()).isNull();
        });
    }

    @Test
    void anOldCarrierAddressWithTwoDotsInARowIsDelivered() throws Exception {
        String recipient = "taro..yamada-" + UUID.randomUUID().toString().substring(0, 8) + "@docomo.example";
        issue(recipient, Locale.JAPANESE);

        await().atMost(Duration.ofSeconds(15)).until(() -> administration.find(outboxIdOf(recipient)).orElseThrow().status() == MailStatus.SENT);
        assertThat(smtp.received()).anySatisfy(message ->
                assertThat(message.getHeader("To")[0]).isEqualTo(recipient));
    }

    @Test
    void noMailIsWrittenWhenTheEventsTransactionRollsBack() {
        String recipient = address("rolled-back");

        transaction.executeWithoutResult(status -> {
            events.publishEvent(issued(recipient, Locale.JAPANESE));
            assertThat(rowsFor(recipient)).as("written inside the transaction").isEqualTo(1);
            status.setRollbackOnly();
        });

        assertThat(rowsFor(recipient)).isZero();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> smtp.receivedFor(recipient).isEmpty());
    }

    @Test
    void whileSmtpIsDownTheMailIsRetriedWithGrowingWaitsAndDeliveredWhenItIsBack() {
        smtp.stop();
        String recipient = address("retried");
        Instant committed = issue(recipient, Locale.ENGLISH);

        await().atMost(Duration.ofSeconds(15)).until(() -> attemptsOf(recipient) >= 2);
        OutboxMail waiting = administration.find(outboxIdOf(recipient)).orElseThrow();
        assertThat(waiting.status()).isIn(MailStatus.PENDING, MailStatus.SENDING);
        assertThat(waiting.lastError()).isNotBlank();
        smtp.start();

        await().atMost(Duration.ofSeconds(15)).until(() -> smtp.receivedFor(recipient).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> administration.find(outboxIdOf(recipient)).orElseThrow().sentAt() != null);
        OutboxMail sent = administration.find(outboxIdOf(recipient)).orElseThrow();
        assertThat(sent.status()).isEqualTo(MailStatus.SENT);
        assertThat(sent.attempts()).isBetween(2, 4);
        System.out.printf("FIGURE mail: delivered on attempt %d, %d ms after the commit, SMTP down for the first %d attempt(s) (%s)%n",
                sent.attempts(), Duration.between(committed, sent.sentAt()).toMillis(), sent.attempts() - 1, DatabaseName.current());
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> smtp.receivedFor(recipient).size() == 1);
    }

    @Test
    void afterTheLastAttemptTheMailIsFailedForTheOperatorWhoCanRetryIt() throws Exception {
        smtp.stop();
        String recipient = address("given-up");
        transaction.executeWithoutResult(status -> events.publishEvent(new TokenLocked(new ServiceId("12345678"),
                "かぎ銀行ビジネスWeb", new UserId("000777"), recipient, Locale.JAPANESE, clock.instant())));
        long id = outboxIdOf(recipient);

        await().atMost(Duration.ofSeconds(20)).until(() -> administration.find(id).orElseThrow().status() == MailStatus.FAILED);

        OutboxMail failed = administration.find(id).orElseThrow();
        assertThat(failed.attempts()).isEqualTo(4);
        assertThat(failed.lastError()).containsIgnoringCase("connect");
        assertThat(administration.failed(50)).extracting(OutboxMail::id).contains(id);
        assertThat(administration.countByStatus().get(MailStatus.FAILED)).isPositive();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'MAIL_DELIVERY_FAILED' AND subject = :subject")
                .param("subject", "mail:" + id).query(Long.class).single()).isEqualTo(1);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> administration.find(id).orElseThrow().attempts() == 4);

        smtp.start();
        assertThat(administration.retry(id, "operator:test")).isTrue();
        assertThat(administration.retry(id, "operator:test")).as("only a failed mail is retried").isFalse();

        await().atMost(Duration.ofSeconds(15)).until(() -> smtp.receivedFor(recipient).size() == 1);
        assertThat(smtp.receivedFor(recipient).get(0).getSubject()).isEqualTo("【かぎ銀行】トークン利用停止のお知らせ");
        await().atMost(Duration.ofSeconds(5)).until(() -> administration.find(id).orElseThrow().status() == MailStatus.SENT);
        assertThat(jdbc.sql("SELECT actor FROM audit_event WHERE type = 'MAIL_RETRY_REQUESTED' AND subject = :subject")
                .param("subject", "mail:" + id).query(String.class).single()).isEqualTo("operator:test");
    }

    private Instant issue(String recipient, Locale locale) {
        transaction.executeWithoutResult(status -> events.publishEvent(issued(recipient, locale)));
        return Instant.now();
    }

    private TokenIssued issued(String recipient, Locale locale) {
        Instant now = clock.instant();
        return new TokenIssued(new ServiceId("12345678"), "かぎ銀行ビジネスWeb", new UserId("012345"), recipient, locale,
                now, now.plus(Duration.ofHours(24)));
    }

    private long rowsFor(String recipient) {
        return jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient = :recipient").param("recipient", recipient)
                .query(Long.class).single();
    }

    private long outboxIdOf(String recipient) {
        List<Long> ids = jdbc.sql("SELECT id FROM mail_outbox WHERE recipient = :recipient").param("recipient", recipient)
                .query(Long.class).list();
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    private int attemptsOf(String recipient) {
        return jdbc.sql("SELECT attempts FROM mail_outbox WHERE recipient = :recipient").param("recipient", recipient)
                .query(Integer.class).single();
    }

    static String address(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@oozora.example";
    }
}
