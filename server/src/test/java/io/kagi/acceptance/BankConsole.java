package io.kagi.acceptance;

import java.time.Duration;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank's operator console as the demo supervisor of the start-up report uses it to onboard a
 * relying party (§11): first login with the operator's own token (set up over the activation API
 * like the command-line token), then 連携サービス: register the service, issue its API secret.
 * Issuing the API secret is under dual control only once the bank has two active supervisors
 * (docs/console.md, dual control): the demo has the one supervisor {@code operator01}, who therefore
 * issues the first secret directly, as the bank's first supervisor adds the second one directly.
 * Nothing is read from or written to the database. The bank's staff work on a computer of their own:
 * a browser context apart from the customer's PC.
 */
final class BankConsole implements AutoCloseable {

    private static final String ACTIVATION_PASSWORD = "8642";

    private final Walkthrough walk;
    private final MutableClock clock;
    private final String baseAddress;
    private final BrowserContext staff;
    private final Page page;
    private TestTokenDevice operatorToken;

    BankConsole(Walkthrough walk, Browser browser, MutableClock clock, String baseAddress) {
        this.walk = walk;
        this.clock = clock;
        this.baseAddress = baseAddress;
        this.staff = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 900).setLocale("ja-JP").setTimezoneId("Asia/Tokyo"));
        this.page = staff.newPage();
    }

    @Override
    public void close() {
        staff.close();
    }

    /** The password the demo supervisor chooses at the first login. */
    private static final String OWN_PASSWORD = "Kagi-console-2026";

    /**
     * The demo supervisor's first login: the temporary password, the operator's token issued and set
     * up, its first code, then a password of their own.
     */
    void logIn(DemoCredentials demo) {
        page.navigate(demo.consoleAddress());
        assertThat(page.locator(".screen-id")).hasText("CLGI001");
        page.getByLabel("ログインID").fill(demo.operatorLoginId());
        page.getByLabel("パスワード").fill(demo.operatorPassword());
        page.locator("button.primary").click();
        assertThat(page.locator(".screen-id")).hasText("CLGI003");
        page.locator("#activationPassword").fill(ACTIVATION_PASSWORD);
        page.locator("#activationPasswordConfirmation").fill(ACTIVATION_PASSWORD);
        page.locator("#issue").click();
        assertThat(page.locator(".screen-id")).hasText("CLGI004");
        operatorToken = TestTokenDevice.activate(baseAddress, page.locator("#service-id").textContent().strip(),
                page.locator("#user-id").textContent().strip(), ACTIVATION_PASSWORD);
        page.locator("#otp").fill(operatorToken.codeAt(clock.advance(Duration.ofSeconds(60))));
        page.locator("#confirm").click();
        // A temporary password must be replaced before anything else (CPWD001).
        assertThat(page.locator(".screen-id")).hasText("CPWD001");
        page.locator("#currentPassword").fill(demo.operatorPassword());
        page.locator("#newPassword").fill(OWN_PASSWORD);
        page.locator("#newPasswordConfirmation").fill(OWN_PASSWORD);
        page.locator("#change-password").click();
        assertThat(page.locator(".screen-id")).hasText("CTOP001");
    }

    /** Registers the relying party with the default policy and issues its API secret; returns the secret, shown once. */
    String onboard(String serviceId, String name) {
        page.locator(".menu").getByText("連携サービス").click();
        assertThat(page.locator(".screen-id")).hasText("CSRV001");
        page.locator("#new-service").click();
        assertThat(page.locator(".screen-id")).hasText("CSRV002");
        page.locator("#serviceId").fill(serviceId);
        page.locator("#name").fill(name);
        walk.screenshot(page, "11", "console-register-service",
                "Bank (operator console): the supervisor registers " + name + " as a relying party (連携サービスの登録 CSRV002): "
                        + "サービスID, name and the token policy (the defaults)", true);
        page.locator("#to-confirm").click();
        assertThat(page.locator(".screen-id")).hasText("CSRV003");
        execute();
        assertThat(page.locator(".screen-id")).hasText("CSRV004");
        assertThat(page.locator("#service-name")).hasText(name);
        assertThat(page.locator("#api-secret-state")).hasText("未発行");

        page.locator("#change-secret").click();
        assertThat(page.locator(".screen-id")).hasText("CSRV007");
        execute();
        assertThat(page.locator(".screen-id")).hasText("CSRV008");
        String secret = page.locator("#api-secret").textContent().strip();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        page.locator("#api-secret").evaluate("element => element.textContent = '(shown once)'");
        walk.screenshot(page, "11", "console-api-secret",
                "Bank: with a fresh code of the supervisor's token the API secret is issued and shown this once (CSRV008; "
                        + "blanked in this picture); the bank hands it to the service's staff");
        page.locator("#back-to-service").click();
        assertThat(page.locator("#api-secret-state")).containsText("発行済");
        return secret;
    }

    /** The confirm screen's fresh code (a new 60-second step), then 実行. */
    private void execute() {
        page.locator("#otp").fill(operatorToken.codeAt(clock.advance(Duration.ofSeconds(60))));
        page.locator("#execute").click();
    }
}
