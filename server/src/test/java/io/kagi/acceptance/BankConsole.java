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
 * Issuing the API secret is under dual control (docs/console.md): the demo supervisor
 * {@code operator01} first adds a second supervisor (directly, as the bank's first supervisor adds the
 * second), who approves the secret on a computer of their own and is the one shown it.
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
    private String consoleAddress;
    private BrowserContext approverContext;
    private Page approverPage;
    private TestTokenDevice approverToken;

    private static final String APPROVER = "approver01";
    private static final String APPROVER_PASSWORD = "Kagi-approver-2026";

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
        if (approverContext != null) {
            approverContext.close();
        }
        staff.close();
    }

    /** The password the demo supervisor chooses at the first login. */
    private static final String OWN_PASSWORD = "Kagi-console-2026";

    /**
     * The demo supervisor's first login: the temporary password, the operator's token issued and set
     * up, its first code, then a password of their own.
     */
    void logIn(DemoCredentials demo) {
        consoleAddress = demo.consoleAddress();
        operatorToken = firstLogin(page, demo.operatorLoginId(), demo.operatorPassword(), OWN_PASSWORD);
    }

    /**
     * A first login at the console in {@code browser}: the temporary password, the operator's token
     * issued and set up (over the activation API, like the command-line token), its first code, then
     * a password of their own (CPWD001); returns the operator's token.
     */
    private TestTokenDevice firstLogin(Page browser, String loginId, String temporaryPassword, String ownPassword) {
        browser.navigate(consoleAddress);
        assertThat(browser.locator(".screen-id")).hasText("CLGI001");
        browser.getByLabel("ログインID").fill(loginId);
        browser.getByLabel("パスワード").fill(temporaryPassword);
        browser.locator("button.primary").click();
        assertThat(browser.locator(".screen-id")).hasText("CLGI003");
        browser.locator("#activationPassword").fill(ACTIVATION_PASSWORD);
        browser.locator("#activationPasswordConfirmation").fill(ACTIVATION_PASSWORD);
        browser.locator("#issue").click();
        assertThat(browser.locator(".screen-id")).hasText("CLGI004");
        TestTokenDevice token = TestTokenDevice.activate(baseAddress, browser.locator("#service-id").textContent().strip(),
                browser.locator("#user-id").textContent().strip(), ACTIVATION_PASSWORD);
        browser.locator("#otp").fill(token.codeAt(clock.advance(Duration.ofSeconds(60))));
        browser.locator("#confirm").click();
        // A temporary password must be replaced before anything else (CPWD001).
        assertThat(browser.locator(".screen-id")).hasText("CPWD001");
        browser.locator("#currentPassword").fill(temporaryPassword);
        browser.locator("#newPassword").fill(ownPassword);
        browser.locator("#newPasswordConfirmation").fill(ownPassword);
        browser.locator("#change-password").click();
        assertThat(browser.locator(".screen-id")).hasText("CTOP001");
        return token;
    }

    /**
     * Dual control needs a second supervisor: the demo supervisor adds one (directly, as the bank's
     * first supervisor adds the second), who logs in on a computer of their own and sets up their token.
     */
    private void addApprover() {
        page.locator(".menu").getByText("運用者").click();
        page.locator("#new-operator").click();
        assertThat(page.locator(".screen-id")).hasText("COPR002");
        page.locator("#loginId").fill(APPROVER);
        page.locator("#displayName").fill("承認 花子");
        page.locator("#mailAddress").fill(APPROVER + "@kagi.localhost");
        page.locator("#role").selectOption("SUPERVISOR");
        page.locator("#to-confirm").click();
        execute();
        assertThat(page.locator(".screen-id")).hasText("COPR004");
        String temporaryPassword = page.locator("#temporary-password").textContent().strip();
        approverContext = page.context().browser().newContext(new Browser.NewContextOptions()
                .setViewportSize(1280, 900).setLocale("ja-JP").setTimezoneId("Asia/Tokyo"));
        approverPage = approverContext.newPage();
        approverToken = firstLogin(approverPage, APPROVER, temporaryPassword, APPROVER_PASSWORD);
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

        addApprover();
        page.navigate(consoleAddress.replace("/console/login", "/console/services/" + serviceId));
        page.locator("#change-secret").click();
        assertThat(page.locator(".screen-id")).hasText("CSRV007");
        execute();
        // Two supervisors now: the secret waits for the second one's approval (承認待ち).
        assertThat(page.locator(".screen-id")).hasText("CAPR001");
        approverPage.navigate(consoleAddress.replace("/console/login", "/console/approvals"));
        assertThat(approverPage.locator(".screen-id")).hasText("CAPR001");
        walk.screenshot(approverPage, "11", "console-approval",
                "Bank: a second supervisor, on a computer of their own, sees the API secret waiting for approval (承認待ち CAPR001)",
                true);
        approverPage.locator("#pending-changes .approve").first().click();
        assertThat(approverPage.locator(".screen-id")).hasText("CAPR002");
        approverPage.locator("#otp").fill(approverToken.codeAt(clock.advance(Duration.ofSeconds(60))));
        approverPage.locator("#execute").click();
        assertThat(approverPage.locator(".screen-id")).hasText("CSRV008");
        String secret = approverPage.locator("#api-secret").textContent().strip();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        approverPage.locator("#api-secret").evaluate("element => element.textContent = '(shown once)'");
        walk.screenshot(approverPage, "11", "console-api-secret",
                "Bank: with a fresh code of the approver's own token the API secret is issued and shown this once, to the "
                        + "approver (CSRV008; blanked in this picture); the bank hands it to the service's staff");
        approverPage.locator("#back-to-service").click();
        assertThat(approverPage.locator("#api-secret-state")).containsText("発行済");
        return secret;
    }

    /** The confirm screen's fresh code (a new 60-second step), then 実行. */
    private void execute() {
        page.locator("#otp").fill(operatorToken.codeAt(clock.advance(Duration.ofSeconds(60))));
        page.locator("#execute").click();
    }
}
