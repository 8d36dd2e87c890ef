package io.kagi.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenIssued;
import io.kagi.authority.UserId;
import io.kagi.test.Browser;
import io.kagi.test.BrowserTest;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

@KagiIntegrationTest
@BrowserTest
class MailboxBrowserTests {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    Clock clock;

    @Test
    void theIssuanceNoticeCanBeOpenedFromTheMailboxOnAPhone() {
        String recipient = OutboxDeliveryIntegrationTests.address("hanakodt");
        Instant now = clock.instant();
        transaction.executeWithoutResult(status -> events.publishEvent(new TokenIssued(new ServiceId("12345678"),
                "かぎ銀行ビジネスWeb", new UserId("012345"), recipient, Locale.JAPANESE, now, now.plus(Duration.ofHours(24)))));

        try (BrowserContext context = browser.phone()) {
            Page page = context.newPage();
            page.navigate("http://localhost:" + port + "/mailbox");
            assertThat(page.locator(".screen-id")).hasText("MBOX001");
            assertThat(page.locator(".mail-item", new Page.LocatorOptions().setHasText(recipient)).locator(".mail-status"))
                    .hasText("保管済み");
            Browser.screenshot(page, "MBOX001-mailbox-ja");

            page.locator(".mail-item", new Page.LocatorOptions().setHasText(recipient)).getByText("トークン発行のお知らせ").click();

            assertThat(page.locator(".screen-id")).hasText("MBOX002");
            assertThat(page.locator(".mail-subject")).hasText("【かぎ銀行】トークン発行のお知らせ");
            assertThat(page.locator(".mail-body")).containsText("サービスID：12345678");
            assertThat(page.locator(".mail-body")).containsText("ユーザID　：012345");
            Browser.screenshot(page, "MBOX002-issuance-notice-ja");
        }
    }
}
