package io.kagi.mail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Tokens;
import io.kagi.authority.TokenActivated;
import io.kagi.authority.TokenIssued;
import io.kagi.authority.TokenLocked;
import io.kagi.authority.TokenRevoked;
import io.kagi.authority.UserId;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default: no SMTP server, mails are kept ({@code CAPTURED}) and shown on the local
 * mailbox page, list (MBOX001) and message (MBOX002).
 */
@KagiIntegrationTest
class MailboxIntegrationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    Tokens tokens;

    @Test
    void theIssuanceNoticeIsKeptAndShownOnTheMailboxPage() throws Exception {
        String recipient = OutboxDeliveryIntegrationTests.address("mailbox");
        Instant now = clock.instant();
        transaction.executeWithoutResult(status -> events.publishEvent(new TokenIssued(new ServiceId("12345678"),
                "かぎ銀行ビジネスWeb", new UserId("012345"), recipient, Locale.JAPANESE, now, now.plus(Duration.ofHours(24)))));
        long id = idOf(recipient);

        await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(id) == MailStatus.CAPTURED);
        String list = get("/mailbox").body();
        String message = get("/mailbox/" + id).body();

        assertThat(list).contains("MBOX001", recipient, "【かぎ銀行】トークン発行のお知らせ", "/mailbox/" + id, "保管済み");
        assertThat(message).contains("MBOX002", recipient, "【かぎ銀行】トークン発行のお知らせ", "かぎ銀行 &lt;noreply@kagi.localhost&gt;",
                "サービスID：12345678", "ユーザID　：012345", "利用開始パスワード", "/app/");
    }

    @Test
    void aTokenIssuedAtTheAuthorityShowsItsIdsOnTheMailboxPage() throws Exception {
        String recipient = OutboxDeliveryIntegrationTests.address("issued");

        IssueResult result = tokens.issue(new ServiceId("12345678"), new AccountRef("mailbox-test:" + recipient.hashCode()),
                recipient, "4711".toCharArray(), Locale.JAPANESE, new ClientInfo("test", "127.0.0.1"));

        assertThat(result).isInstanceOf(IssueResult.Issued.class);
        String userId = ((IssueResult.Issued) result).userId().digits();
        long id = idOf(recipient);
        await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(id) == MailStatus.CAPTURED);
        assertThat(get("/mailbox").body()).contains(recipient, "トークン発行のお知らせ");
        assertThat(get("/mailbox/" + id).body()).contains("サービスID：12345678", "ユーザID　：" + userId)
                .doesNotContain("4711");
    }

    @Test
    void theOtherNoticesAreKeptInTheUsersLanguage() throws Exception {
        String activated = OutboxDeliveryIntegrationTests.address("activated");
        String locked = OutboxDeliveryIntegrationTests.address("locked");
        String revoked = OutboxDeliveryIntegrationTests.address("revoked");
        ServiceId service = new ServiceId("12345678");
        Instant now = clock.instant();
        transaction.executeWithoutResult(status -> {
            events.publishEvent(new TokenActivated(service, "かぎ銀行ビジネスWeb", new UserId("000001"), activated, Locale.JAPANESE, now));
            events.publishEvent(new TokenLocked(service, "かぎ銀行ビジネスWeb", new UserId("000002"), locked, Locale.ENGLISH, now));
            events.publishEvent(new TokenRevoked(service, "かぎ銀行ビジネスWeb", new UserId("000003"), revoked, Locale.JAPANESE, now));
        });

        assertThat(subjectOf(activated)).isEqualTo("【かぎ銀行】トークン設定完了のお知らせ");
        assertThat(subjectOf(locked)).isEqualTo("かぎ銀行: Your one-time password token has been locked");
        assertThat(subjectOf(revoked)).isEqualTo("【かぎ銀行】トークン失効のお知らせ");
        long lockedMail = idOf(locked);
        await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(lockedMail) == MailStatus.CAPTURED);
        assertThat(get("/mailbox/" + lockedMail).body()).contains("User ID 000002", "was locked", "EB Support Desk");
    }

    @Test
    void aMissingMailIsNotFound() throws Exception {
        assertThat(get("/mailbox/987654321").statusCode()).isEqualTo(404);
    }

    @Test
    void theMailboxSpeaksEnglishOnRequest() throws Exception {
        assertThat(get("/mailbox?lang=en").body()).contains("MBOX001", "Mailbox (local)");
    }

    private long idOf(String recipient) {
        return jdbc.sql("SELECT id FROM mail_outbox WHERE recipient = :recipient").param("recipient", recipient)
                .query(Long.class).single();
    }

    private String subjectOf(String recipient) {
        return jdbc.sql("SELECT subject FROM mail_outbox WHERE recipient = :recipient").param("recipient", recipient)
                .query(String.class).single();
    }

    private MailStatus statusOf(long id) {
        return MailStatus.valueOf(jdbc.sql("SELECT status FROM mail_outbox WHERE id = :id").param("id", id)
                .query(String.class).single());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
