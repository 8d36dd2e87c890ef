package io.kagi.bizweb;

import java.time.Duration;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
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
 * The customer's ways out of a token that was activated on a phone but never confirmed on the PC
 * (issue 20): the phone lost the finish answer, so the token is ACTIVE at the authority and stored
 * nowhere. Walked in headless Chromium; each screen is saved under target/screenshots.
 */
@KagiIntegrationTest
@BrowserTest
@Import(PortalTestData.ClockConfig.class)
class TokenIssuanceBrowserTests {

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

    PortalTestData data;

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
    }

    @Test
    void aTokenActivatedButNeverConfirmedIsIssuedAgainFromElg017sBackAndFromTheOtpLoginWithoutACoolingOff() {
        data.masterUser("deadend01", "deadend2024pw", "袋小路太郎");
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            logIn(page, "deadend01", "deadend2024pw");
            assertThat(page.locator(".screen-id")).hasText("ELG016");
            fillIssuance(page, "lost@example.jp", "1357");
            assertThat(page.locator(".screen-id")).hasText("ELG017");
            String first = page.locator("#user-id").textContent().strip();

            // The phone activates, but its finish answer is lost: ACTIVE at the authority, in no app.
            TestTokenDevice.activate(url(""), PortalTestData.PORTAL.digits(), first, "1357");

            // ELG017's 戻る does what its text says: back to ELG016 to issue again.
            page.locator("#back").click();
            assertThat(page.locator(".screen-id")).hasText("ELG016");
            assertThat(page.locator("#replaces-activated")).containsText("まだ認証確認が済んでいません");
            Browser.screenshot(page, "ELG016-issue-again-after-a-lost-activation");
            fillIssuance(page, "lost@example.jp", "2468");
            assertThat(page.locator(".screen-id")).hasText("ELG017");
            String second = page.locator("#user-id").textContent().strip();
            assertThat(second).isNotEqualTo(first);

            // Lost again; the customer logs out and in: BLGI010 asks for a code they do not have, and offers the way out.
            TestTokenDevice.activate(url(""), PortalTestData.PORTAL.digits(), second, "2468");
            page.navigate(url("/bizweb/top"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。");
            logIn(page, "deadend01", "deadend2024pw");
            assertThat(page.locator(".screen-id")).hasText("BLGI010");
            assertThat(page.locator("#never-confirmed")).containsText("まだ一度も認証されていません");
            Browser.screenshot(page, "BLGI010-token-never-confirmed");
            page.locator("#issue-again").click();
            assertThat(page.locator(".screen-id")).hasText("ELG016");
            fillIssuance(page, "lost@example.jp", "3579");
            assertThat(page.locator(".screen-id")).hasText("ELG017");
            String third = page.locator("#user-id").textContent().strip();
            TestTokenDevice device = TestTokenDevice.activate(url(""), PortalTestData.PORTAL.digits(), third, "3579");
            clock.advance(Duration.ofSeconds(60));
            page.locator("#otp").fill(device.codeAt(clock.instant()));
            page.locator("#confirm").click();
            assertThat(page.locator(".screen-id")).hasText("BTOP001");

            // Once a code was accepted, ELG016 is token administration again (not for the password alone).
            page.navigate(url("/bizweb/token/issue"));
            assertThat(page.locator(".screen-id")).hasText("BTOP001");
        }
        // Each issuance was told to the address of record (here the master's own) as well.
        assertThat(jdbc.sql("""
                        SELECT COUNT(*) FROM mail_outbox WHERE kind = 'token-changed' AND recipient = 'deadend01@example.jp'
                        AND body LIKE '%トークンが発行されました%'""").query(Integer.class).single()).isEqualTo(3);
    }

    @Test
    void aNinthDigitOfTheActivationPasswordStaysVisibleAndIsRefused() {
        data.masterUser("ninth001", "ninth2024pw", "九桁花子");
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            logIn(page, "ninth001", "ninth2024pw");
            assertThat(page.locator(".screen-id")).hasText("ELG016");
            page.locator("#mailAddress").fill("ninth@example.jp");
            page.locator("#mailAddressConfirmation").fill("ninth@example.jp");
            page.locator("#activationPassword").pressSequentially("123456789");
            page.locator("#activationPasswordConfirmation").pressSequentially("123456789");
            assertThat(page.locator("#activationPassword").inputValue()).as("not cut to 8 digits").hasSize(9);
            page.locator("#issue").click();
            assertThat(page.locator("#activationPassword ~ .field-error")).hasText("4桁以上8桁以内で入力してください。");
            Browser.screenshot(page, "ELG016-nine-digit-activation-password");
            assertThat(page.locator(".screen-id")).hasText("ELG016");
        }
    }

    private void logIn(Page page, String loginId, String password) {
        page.navigate(url("/bizweb/login"));
        page.getByLabel("ログインID").fill(loginId);
        page.getByLabel("ログインパスワード").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();
    }

    private static void fillIssuance(Page page, String mail, String activationPassword) {
        page.locator("#mailAddress").fill(mail);
        page.locator("#mailAddressConfirmation").fill(mail);
        page.locator("#activationPassword").fill(activationPassword);
        page.locator("#activationPasswordConfirmation").fill(activationPassword);
        page.locator("#issue").click();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
