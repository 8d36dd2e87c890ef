package io.kagi.bizweb;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ClientCertificate;

import io.kagi.certificates.ClientCertificateTls;
import io.kagi.certificates.TestCertificates;
import io.kagi.test.Browser;
import io.kagi.test.BrowserTest;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * 電子証明書 in Chromium: a user issues a certificate from BLGI001 (the key pair made by WebCrypto, the PKCS#10
 * request and the PKCS#12 file by PKI.js in the page); a new browser context presenting that PKCS#12
 * (Playwright's clientCertificates) logs in with the password alone, then the OTP, and reaches BTOP001; the
 * certificate is renewed from the portal; the renewed-away (revoked), an expired (the application's clock
 * moved) and a foreign certificate are refused with their messages.
 */
@KagiIntegrationTest
@BrowserTest
@Import(PortalTestData.ClockConfig.class)
class CertificateBrowserTests extends PortalTestSupport {

    @RegisterExtension
    static Browser browser = new Browser();

    @Autowired
    ClientCertificateTls.HttpsEndpoint https;

    @Override
    String prefixLetter() {
        return "b";
    }

    @Test
    void aUserIssuesACertificateLogsInWithItRenewsItAndOldExpiredAndForeignOnesAreRefused() throws Exception {
        String loginId = prefix + "m";
        long master = data.masterUser(loginId, "Password-1", "証明 一郎");
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), master);
        Path folder = Files.createDirectories(Path.of("target", "certificates"));

        Path first = folder.resolve(loginId + "-1.p12");
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            page.navigate(url("/bizweb/login"));
            Browser.screenshot(page, "BLGI001-certificate-panel");
            page.locator("#certificate-issue-link").click();
            assertThat(page.locator(".screen-id")).hasText("BCRT001");
            page.getByLabel("ログインID").fill(loginId);
            page.getByLabel("ログインパスワード").fill("Password-1");
            page.locator("#certificate-next").click();
            issueInPage(page, device, "p12-Secret-1", first, "BCRT001-certificate-issued");
        }

        ClientCertificate firstCertificate = new ClientCertificate(https.origin().orElseThrow())
                .setPfxPath(first).setPassphrase("p12-Secret-1");
        Path second = folder.resolve(loginId + "-2.p12");
        try (BrowserContext context = browser.desktopPresenting(firstCertificate)) {
            Page page = context.newPage();
            page.navigate(https.origin().orElseThrow() + "/bizweb/login");
            assertThat(page.locator("#certificate-presented")).containsText(loginId);
            Browser.screenshot(page, "BLGI001-certificate-login");
            page.locator("#certificatePassword").fill("Password-1");
            page.locator("#certificate-login-submit").click();
            assertThat(page.locator(".screen-id")).hasText("BLGI010");
            clock.advance(Duration.ofSeconds(60));
            page.getByLabel("ワンタイムパスワード").fill(device.codeAt(clock.instant()));
            page.locator("#authenticate").click();
            assertThat(page.locator(".screen-id")).hasText("BTOP001");

            // Renewal from the portal: a new key in this browser, the old certificate superseded.
            page.locator("#my-certificates-link").click();
            assertThat(page.locator("#my-certificates")).containsText("有効");
            Browser.screenshot(page, "BCRT002-certificates");
            page.locator("button.renew").first().click();
            issueInPage(page, device, "p12-Secret-2", second, "BCRT001-certificate-renewed");
        }

        // The renewed-away certificate is revoked: refused with its message.
        try (BrowserContext context = browser.desktopPresenting(firstCertificate)) {
            Page page = context.newPage();
            page.navigate(https.origin().orElseThrow() + "/bizweb/login");
            assertThat(page.locator("#certificate-refused")).containsText("この電子証明書は失効しています。");
            Browser.screenshot(page, "BLGI001-certificate-revoked");
        }

        ClientCertificate secondCertificate = new ClientCertificate(https.origin().orElseThrow())
                .setPfxPath(second).setPassphrase("p12-Secret-2");
        // Expired by the application's clock, a year and a day later.
        clock.advance(Duration.ofDays(366));
        try (BrowserContext context = browser.desktopPresenting(secondCertificate)) {
            Page page = context.newPage();
            page.navigate(https.origin().orElseThrow() + "/bizweb/login");
            assertThat(page.locator("#certificate-refused")).containsText("この電子証明書は有効期限が切れています。");
        } finally {
            clock.advance(Duration.ofDays(-366));
        }

        // Another CA's certificate naming the same login ID; refused on the page and, if sent, by the refusal page.
        KeyPair foreignKeys = TestCertificates.ecKeyPair();
        Path key = folder.resolve(loginId + "-foreign.key");
        Path cert = folder.resolve(loginId + "-foreign.crt");
        TestCertificates.writePem(foreignKeys, TestCertificates.foreignCertificate(foreignKeys, loginId), key, cert);
        try (BrowserContext context = browser.desktopPresenting(new ClientCertificate(https.origin().orElseThrow())
                .setCertPath(cert).setKeyPath(key))) {
            Page page = context.newPage();
            page.navigate(https.origin().orElseThrow() + "/bizweb/login");
            assertThat(page.locator("#certificate-refused")).containsText("この電子証明書は当行が発行したものではありません。");
            Browser.screenshot(page, "BLGI001-certificate-foreign");
        }
    }

    /** The sign step of BCRT001: the OTP, the file's password twice, 発行, then the PKCS#12 saved to {@code file}. */
    private void issueInPage(Page page, TestTokenDevice device, String p12Password, Path file, String screenshot) {
        assertThat(page.locator("#certificate-sign")).isVisible();
        clock.advance(Duration.ofSeconds(60));
        page.getByLabel("ワンタイムパスワード").fill(device.codeAt(clock.instant()));
        page.locator("#p12Password").fill(p12Password);
        page.locator("#p12PasswordAgain").fill(p12Password);
        page.locator("#certificate-issue-submit").click();
        assertThat(page.locator("#certificate-done")).isVisible(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
        Browser.screenshot(page, screenshot);
        Download download = page.waitForDownload(() -> page.locator("#p12Download").click());
        download.saveAs(file);
    }
}
