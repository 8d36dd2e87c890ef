package io.kagi.console.web;

import java.time.Duration;
import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.kagi.console.ConsoleTestData;
import io.kagi.test.Browser;
import io.kagi.test.BrowserTest;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console walked in headless Chromium: an operator's first login with token issuance,
 * a new contract whose 仮ログインパスワード then works for the customer's first use, a notice that
 * appears on the customer's top page and disappears when withdrawn, unlocking a master user, the
 * audit log and a failed mail's retry. Each console screen is saved under target/screenshots.
 */
@KagiIntegrationTest
@BrowserTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleBrowserTests {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    @Autowired
    io.kagi.authority.Tokens tokens;

    ConsoleTestData data;

    @BeforeEach
    void setUp() {
        data = new ConsoleTestData(jdbc, passwordEncoder, clock);
    }

    @Test
    void anOperatorCreatesACompanyAndPublishesANoticeThatTheCustomerSeesOnTheTopPageUntilItIsWithdrawn() {
        data.operator("sato.k", "Kagi-console-2024", "SUPERVISOR");
        long mailId = data.failedMail("bounced@example.jp");
        // Other tests sharing this test context (and its database) may have left failed mails too.
        long failedMails = jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE status = 'FAILED'").query(Long.class).single();

        try (BrowserContext staff = browser.desktop(); BrowserContext customer = browser.desktop()) {
            Page console = staff.newPage();
            console.navigate(url("/console"));
            assertThat(console.locator(".screen-id")).hasText("CLGI001");
            Browser.screenshot(console, "CLGI001-console-login");
            console.getByLabel("ログインID").fill("sato.k");
            console.getByLabel("パスワード").fill("Kagi-console-2024");
            console.locator("button.primary").click();

            // First login: the operator's own token, the notice to their own address, setup, first code.
            assertThat(console.locator(".screen-id")).hasText("CLGI003");
            assertThat(console.locator("#token-mail")).hasText("sato.k@bank.example.jp");
            Browser.screenshot(console, "CLGI003-operator-token-issuance");
            console.locator("#activationPassword").fill("2580");
            console.locator("#activationPasswordConfirmation").fill("2580");
            console.locator("#issue").click();
            assertThat(console.locator(".screen-id")).hasText("CLGI004");
            assertThat(console.locator("#service-id")).hasText("99000001");
            String userId = console.locator("#user-id").textContent().strip();
            Browser.screenshot(console, "CLGI004-operator-token-confirmation");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'sato.k@bank.example.jp'")
                    .query(Long.class).single()).isEqualTo(1);
            TestTokenDevice device = TestTokenDevice.activate(url(""), "99000001", userId, "2580");
            assertThat(device.serviceName()).isEqualTo("Kagi operator console");
            console.locator("#otp").fill(device.codeAt(clock.instant()));
            console.locator("#confirm").click();

            assertThat(console.locator(".screen-id")).hasText("CTOP001");
            assertThat(console.locator("#failed-mails")).hasText("送信できなかったメール：" + failedMails + "件");
            Browser.screenshot(console, "CTOP001-console-menu");

            // A new contract; its temporary password is shown once.
            console.locator(".menu").getByText("契約先").click();
            assertThat(console.locator(".screen-id")).hasText("CCMP001");
            console.getByText("契約先の登録").click();
            assertThat(console.locator(".screen-id")).hasText("CCMP002");
            console.locator("#branchCode").fill("12");
            console.locator("#accountNumber").fill("76a4321");
            console.locator("#to-confirm").click();
            assertThat(console.locator("#name-error")).hasText("入力してください。");
            assertThat(console.locator("#branchCode-error")).hasText("支店番号は半角数字3桁で入力してください。");
            assertThat(console.locator("#accountNumber-error")).hasText("口座番号は半角数字7桁で入力してください。");
            Browser.screenshot(console, "CCMP002-company-new-errors");
            console.locator("#name").fill("株式会社みなと物産");
            console.locator("#branchCode").fill("305");
            console.locator("#accountType").selectOption("CURRENT");
            console.locator("#accountNumber").fill("7654321");
            console.locator("#to-confirm").click();
            assertThat(console.locator(".screen-id")).hasText("CCMP003");
            assertThat(console.locator("#confirm-facts")).containsText("当座");
            Browser.screenshot(console, "CCMP003-company-confirm");
            executeWithFreshCode(console, device);
            assertThat(console.locator(".screen-id")).hasText("CCMP004");
            String temporaryPassword = console.locator("#temporary-password").textContent().strip();
            assertThat(temporaryPassword).matches("[A-Za-z0-9]{12}");
            Browser.screenshot(console, "CCMP004-company-created");
            console.getByText("契約先一覧").last().click();
            assertThat(console.locator("#companies")).containsText("株式会社みなと物産");
            Browser.screenshot(console, "CCMP001-companies");

            // The customer's first use with that temporary password, then the top page (token skipped).
            Page portal = customer.newPage();
            portal.navigate(url("/bizweb/first-use"));
            portal.getByLabel("支店番号").fill("305");
            portal.locator("#accountType").selectOption("CURRENT");
            portal.getByLabel("口座番号").fill("7654321");
            portal.getByLabel("仮ログインパスワード").fill(temporaryPassword);
            portal.locator("button.primary").click();
            assertThat(portal.locator(".screen-id")).hasText("BLGI003");
            assertThat(portal.locator(".lead")).containsText("株式会社みなと物産");
            portal.locator("#displayName").fill("港一郎");
            portal.locator("#mailAddress").fill("ichiro@minato.example.jp");
            portal.locator("#mailAddressConfirmation").fill("ichiro@minato.example.jp");
            portal.locator("#loginId").fill("minato01");
            portal.locator("#password").fill("minato2024pass");
            portal.locator("#passwordConfirmation").fill("minato2024pass");
            portal.locator("button.primary").click();
            assertThat(portal.locator(".screen-id")).hasText("BLGI004");
            portal.navigate(url("/bizweb/login"));
            portal.getByLabel("ログインID").fill("minato01");
            portal.getByLabel("ログインパスワード").fill("minato2024pass");
            portal.locator("button.primary").first().click();
            assertThat(portal.locator(".screen-id")).hasText("ELG016");
            portal.locator("#skip").click();
            assertThat(portal.locator(".screen-id")).hasText("BTOP001");
            assertThat(portal.locator(".notices")).not().containsText("臨時メンテナンスのお知らせ");

            // A notice, published now.
            console.locator(".menu").getByText("お知らせ").click();
            assertThat(console.locator(".screen-id")).hasText("CNTC001");
            console.locator("#new-notice").click();
            assertThat(console.locator(".screen-id")).hasText("CNTC002");
            console.locator("#title").fill("臨時メンテナンスのお知らせ");
            console.locator("#body").fill("次の日時にサービスを停止します。\n12月1日 1:00〜5:00");
            Browser.screenshot(console, "CNTC002-notice-new");
            console.locator("#to-confirm").click();
            assertThat(console.locator(".screen-id")).hasText("CNTC003");
            Browser.screenshot(console, "CNTC003-notice-confirm");
            executeWithFreshCode(console, device);
            // Dual control: the notice waits until a second supervisor approves it with their own code.
            assertThat(console.locator(".screen-id")).hasText("CAPR001");
            assertThat(console.getByRole(com.microsoft.playwright.options.AriaRole.STATUS))
                    .hasText("承認待ちとして登録しました。別の責任者が承認すると実行されます。");
            assertThat(console.locator("#pending-changes")).containsText("臨時メンテナンスのお知らせ");
            Browser.screenshot(console, "CAPR001-waiting-for-approval");
            portal.reload();
            assertThat(portal.locator(".notices")).not().containsText("臨時メンテナンスのお知らせ");
            approveAsSecondSupervisor(jdbc.sql("SELECT MAX(id) FROM console_pending_change").query(Long.class).single());
            console.locator(".menu").getByText("お知らせ").click();
            assertThat(console.locator(".screen-id")).hasText("CNTC001");
            assertThat(console.locator("#notices tr", new Page.LocatorOptions().setHasText("臨時メンテナンスのお知らせ")))
                    .containsText("掲載中");
            Browser.screenshot(console, "CNTC001-notices");

            portal.reload();
            assertThat(portal.locator(".notices")).containsText("臨時メンテナンスのお知らせ");
            assertThat(portal.locator(".notices")).containsText("12月1日 1:00〜5:00");
            Browser.screenshot(portal, "BTOP001-top-page-with-operator-notice");

            // Withdrawn: gone from the top page.
            console.locator("#notices tr", new Page.LocatorOptions().setHasText("臨時メンテナンスのお知らせ"))
                    .getByText("取下げ").click();
            assertThat(console.locator(".screen-id")).hasText("CNTC004");
            Browser.screenshot(console, "CNTC004-notice-withdraw-confirm");
            executeWithFreshCode(console, device);
            assertThat(console.locator("#notices tr", new Page.LocatorOptions().setHasText("臨時メンテナンスのお知らせ")))
                    .containsText("取下げ済");
            portal.reload();
            assertThat(portal.locator(".notices")).not().containsText("臨時メンテナンスのお知らせ");

            // The master user locks their login; the bank unlocks it.
            jdbc.sql("UPDATE bizweb_user SET login_locked_at = CURRENT_TIMESTAMP, failed_login_count = 5 WHERE login_id = 'minato01'")
                    .update();
            console.locator(".menu").getByText("ユーザ・トークン").click();
            assertThat(console.locator(".screen-id")).hasText("CUSR001");
            console.locator("#loginId").fill("minato");
            console.locator("#search").click();
            assertThat(console.locator("#users .login-id")).hasText("minato01");
            assertThat(console.locator("#users .login-state")).hasText("ロック中");
            Browser.screenshot(console, "CUSR001-users");
            console.locator("#users .unlock-login").click();
            assertThat(console.locator(".screen-id")).hasText("CUSR002");
            assertThat(console.locator("#confirm-facts")).containsText("マスターユーザ");
            Browser.screenshot(console, "CUSR002-unlock-confirm");
            executeWithFreshCode(console, device);
            assertThat(console.locator(".screen-id")).hasText("CUSR001");
            assertThat(console.getByRole(com.microsoft.playwright.options.AriaRole.STATUS)).hasText("ログインのロックを解除しました。");
            assertThat(console.locator("#users .login-state")).hasText("利用可");

            // The operator's own token, found by サービスID and ユーザID.
            console.locator("#loginId").fill("");
            console.locator("#serviceId").fill("99000001");
            console.locator("#userId").fill(userId);
            console.locator("#search").click();
            assertThat(console.locator("#users .token-state")).hasText("利用中");

            // The audit log of the company: what happened, and none of the secrets.
            console.locator(".menu").getByText("監査ログ").click();
            assertThat(console.locator(".screen-id")).hasText("CAUD001");
            console.locator("#person").fill("minato01");
            console.locator("#filter").click();
            // In words (the recorded type in the cell's title).
            assertThat(console.locator("#audit .type").first()).hasText("ログインのロックを解除");
            assertThat(console.locator("#audit .type").first()).hasAttribute("title", "LOGIN_UNLOCKED");
            assertThat(console.locator("#audit")).containsText("トークン発行を省略");
            // This operator's (other tests sharing the database create companies too).
            console.locator("#person").fill("sato.k");
            console.locator("#type").selectOption("COMPANY_CREATED");
            console.locator("#filter").click();
            assertThat(console.locator("#audit tbody tr")).hasCount(1);
            assertThat(console.locator("#audit")).containsText("operator:sato.k");
            assertThat(console.locator("#audit")).containsText("***4321");
            Browser.screenshot(console, "CAUD001-audit-log");
            List<String> details = jdbc.sql("SELECT COALESCE(details, '') || ' ' || COALESCE(subject, '') FROM audit_event")
                    .query(String.class).list();
            assertThat(details).noneMatch(text -> text.contains(temporaryPassword) || text.contains("Kagi-console-2024")
                    || text.contains("minato2024pass") || text.contains("7654321"));

            // A failed mail, sent again.
            console.locator(".menu").getByText("メール送信状況").click();
            assertThat(console.locator(".screen-id")).hasText("CMAL001");
            assertThat(console.locator("#failed-mails")).containsText("550 mailbox unavailable");
            Browser.screenshot(console, "CMAL001-failed-mails");
            console.locator("#failed-mails a.retry[href$='/console/mail/" + mailId + "/retry']").click();
            assertThat(console.locator(".screen-id")).hasText("CMAL002");
            Browser.screenshot(console, "CMAL002-retry-confirm");
            executeWithFreshCode(console, device);
            assertThat(console.getByRole(com.microsoft.playwright.options.AriaRole.STATUS)).hasText("メールを再送の順番に戻しました。");
            assertThat(jdbc.sql("SELECT status FROM mail_outbox WHERE id = :id").param("id", mailId)
                    .query(String.class).single()).isNotEqualTo("FAILED");

            console.navigate(url("/console?lang=en"));
            assertThat(console.locator("h1")).hasText("Menu");
            Browser.screenshot(console, "CTOP001-console-menu-en");
            console.navigate(url("/console?lang=ja"));

            // A later login: password, then the OTP.
            console.getByText("ログアウト").click();
            assertThat(console.getByRole(com.microsoft.playwright.options.AriaRole.STATUS)).hasText("ログアウトしました。");
            console.getByLabel("ログインID").fill("sato.k");
            console.getByLabel("パスワード").fill("Kagi-console-2024");
            console.locator("button.primary").click();
            assertThat(console.locator(".screen-id")).hasText("CLGI002");
            console.locator("#otp").fill(device.codeAt(clock.instant()));
            console.locator("#authenticate").click();
            // The code of the step just used: "wait for the next code", not counted (docs/security.md T5).
            assertThat(console.locator("#otp-error")).hasText("このワンタイムパスワードは使用済みです。次のワンタイムパスワードが表示されるまでお待ちください（誤りとしては数えません）。");
            Browser.screenshot(console, "CLGI002-operator-otp-wrong");
            clock.advance(Duration.ofSeconds(60));
            console.locator("#otp").fill(device.codeAt(clock.instant()));
            console.locator("#authenticate").click();
            assertThat(console.locator(".screen-id")).hasText("CTOP001");
        }
    }

    /** The confirm screen's fresh code (a new 60-second step each time), then 実行. */
    private void executeWithFreshCode(Page page, TestTokenDevice device) {
        clock.advance(Duration.ofSeconds(60));
        page.locator("#otp").fill(device.codeAt(clock.instant()));
        page.locator("#execute").click();
    }

    /** A second supervisor, over HTTP, approves waiting change {@code id} with a fresh code of their own token. */
    private void approveAsSecondSupervisor(long id) {
        long approverId = data.operator("suzuki.m", "Kagi-console-2025", "SUPERVISOR");
        TestTokenDevice approverDevice = ConsoleTestData.operatorToken(tokens, url(""), approverId);
        io.kagi.console.ConsoleClient approver = new io.kagi.console.ConsoleClient(url(""));
        approver.logInWithOtp("suzuki.m", "Kagi-console-2025", approverDevice, clock);
        String page = approver.page("/console/approvals/" + id + "/approve");
        org.assertj.core.api.Assertions.assertThat(io.kagi.console.ConsoleClient.location(approver.submit(
                "/console/approvals/" + id + "/approve", page, java.util.Map.of(
                        "transactionToken", io.kagi.console.ConsoleClient.formTokenOf(page),
                        "otp", approverDevice.codeAt(clock.advance(java.time.Duration.ofSeconds(60)))))))
                .endsWith("/console/approvals");
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
