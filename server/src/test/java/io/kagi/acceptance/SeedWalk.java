package io.kagi.acceptance;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import io.kagi.test.MutableClock;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's sections 1 to 11 in order, as a new customer of the demo company does them: the PC
 * in a desktop browser, the mail from the test's SMTP server, the token on {@link TokenHolder}.
 * Every step is recorded in the {@link Walkthrough}.
 */
final class SeedWalk {

    static final String PORTAL_SERVICE_ID = "12345678";
    static final String COMPANY = "株式会社おおぞら商事";
    static final String USER_NAME = "データ花子";
    static final String PC_MAIL = "hanakodt@oozora.example.jp";
    static final String PHONE_MAIL = "hanako.phone@docomo.example.jp";
    static final String LOGIN_ID = "hanako01";
    static final String LOGIN_PASSWORD = "sora2024kagi";
    static final String ACTIVATION_PASSWORD = "24681357";
    static final String SECOND_ACTIVATION_PASSWORD = "9753";
    private static final Pattern HISTORY_LINE = Pattern.compile("\\d{4}年\\d{2}月\\d{2}日\\s*\\d{2}時\\d{2}分\\d{2}秒");

    private final Walkthrough walk;
    private final MutableClock clock;
    private final GreenMail smtp;
    private final String baseAddress;
    private final BrowserContext desktop;
    private final Page pc;

    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

    SeedWalk(Walkthrough walk, BrowserContext desktop, MutableClock clock, GreenMail smtp, int port,
             org.springframework.jdbc.core.simple.JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.walk = walk;
        this.clock = clock;
        this.smtp = smtp;
        this.baseAddress = "http://localhost:" + port;
        this.desktop = desktop;
        this.pc = desktop.newPage();
    }

    /** Walks sections 1 to 11 with this token holder, reading the credentials from the start-up report in {@code consoleOutput}. */
    void walk(String consoleOutput, TokenHolder holder) {
        DemoCredentials demo = DemoCredentials.fromStartupReport(consoleOutput);
        assertThat(demo.portalAddress()).isEqualTo(baseAddress + "/bizweb/login");
        walk.text("1", "Console: the server started as the README starts it prints where the portal is and the demo company's first-use credentials",
                String.join("\n", demo.report()));

        firstUse(demo);
        logInWithSoftwareKeyboard();
        issueToken();
        IssuanceMail mail = mail(1, "かぎ銀行ビジネスWeb");
        assertThat(mail.serviceId()).isEqualTo(pc.locator("#service-id").textContent().strip()).isEqualTo(PORTAL_SERVICE_ID);
        assertThat(mail.userId()).isEqualTo(pc.locator("#user-id").textContent().strip());
        // The app on an origin of its own: the portal's origin serves no app.
        assertThat(mail.appAddress()).endsWith("/app/").doesNotStartWith(baseAddress + "/");
        holder.readMail("3", mail);

        holder.activateFirst(mail, ACTIVATION_PASSWORD);
        String code = holder.showCode("7", PORTAL_SERVICE_ID);
        confirmToken(code);
        topPage("9", "top", 1, "PC: 認証確認 — the top page BTOP001: company, 様, mail address, ご利用履歴, お知らせ from the bank, work waiting for approval");
        logOut();

        // §10: a day later, on the server, on the phone (or the computer of the command-line token).
        clock.advance(Duration.ofDays(1));
        String tomorrow = holder.openLater("10", PORTAL_SERVICE_ID);
        assertThat(tomorrow).isNotEqualTo(code);
        // Yesterday's page has timed out with its session (15 idle minutes): the PC opens the portal afresh.
        pc.navigate(baseAddress + "/bizweb/login");
        logInWithOtp("10", tomorrow, "login-otp-a-day-later",
                "PC, a day later: ログインID and ログインパスワード, then the OTP the portal's policy asks for at login (BLGI010), typed from the token");
        topPage("10", "top-a-day-later", 2, "PC: the top page again; ご利用履歴 shows both logins");
        logOut();

        // §11: the bank onboards another service in its operator console; it issues a token over the
        // authority's REST API with the API secret the console showed, to the same phone.
        SecondRelyingParty second;
        try (BankConsole console = new BankConsole(walk, desktop.browser(), clock, baseAddress)) {
            console.logIn(demo);
            second = SecondRelyingParty.withSecret(baseAddress,
                    console.onboard(SecondRelyingParty.SERVICE.digits(), SecondRelyingParty.NAME));
        }
        SecondRelyingParty.Answer issued = second.issue("customer-0001", PHONE_MAIL, SECOND_ACTIVATION_PASSWORD);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        walk.text("11", SecondRelyingParty.NAME + " (サービスID " + SecondRelyingParty.SERVICE.digits()
                + ", registered in the console with the API secret it showed) issues its customer's token over the REST API",
                issued.request() + "\n→ HTTP " + issued.status() + " " + issued.body());
        IssuanceMail secondMail = mail(2, SecondRelyingParty.NAME);
        assertThat(secondMail.serviceId()).isEqualTo(SecondRelyingParty.SERVICE.digits());
        holder.readMail("11", secondMail);
        holder.addToken(secondMail, SECOND_ACTIVATION_PASSWORD);

        clock.advance(Duration.ofSeconds(60));
        Map<String, String> codes = holder.showCodes("11");
        assertThat(codes).containsOnlyKeys(PORTAL_SERVICE_ID, SecondRelyingParty.SERVICE.digits());
        logInWithOtp("11", codes.get(PORTAL_SERVICE_ID), "login-otp-with-two-tokens",
                "PC: the portal's code from the same device still logs in (BLGI010)");
        topPage("11", "top-with-two-tokens", 3, "PC: the top page; ご利用履歴 shows the last three logins");
        SecondRelyingParty.Answer verified = second.verify("customer-0001", codes.get(SecondRelyingParty.SERVICE.digits()));
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(verified.body()).contains("\"result\":\"accepted\"");
        walk.text("11", SecondRelyingParty.NAME + " verifies the code shown for it over the REST API: accepted",
                verified.request() + "\n→ HTTP " + verified.status() + " " + verified.body());

        approveSignedTransfer(holder);
        certificate(consoleOutput, holder);
    }

    /**
     * §12 (issue 23, beyond the seed): 取引認証. A colleague's transfer request waits for the master's
     * approval; the portal's policy asks it to be signed: on the phone, which shows the payee and the
     * amount the bank holds (二経路認証), or with the command-line token's code bound to the typed
     * account number and amount (トランザクション認証).
     */
    private void approveSignedTransfer(TokenHolder holder) {
        long transferId = colleaguesTransferRequest("7654321", "ｶ)ｻｸﾗｼﾖｳｼﾞ", 150_000);
        pc.locator(".menu").getByText("トップ").click();
        assertThat(pc.locator("#pending-approvals")).hasText("承認待ちのお取引：1件");
        walk.screenshot(pc, "12", "top-transfer-waiting",
                "PC: a colleague (依頼太郎, made by the test) asked for a transfer of 150,000円; BTOP001 shows it waiting for approval");
        pc.locator("#pending-approvals").click();
        pc.locator("#approval-list a.decide").click();
        assertThat(pc.locator(".screen-id")).hasText("BAPR002");
        assertThat(pc.locator("#signing-status")).isVisible();
        walk.screenshot(pc, "12", "approval-signing",
                "PC: 承認確認 (BAPR002) under the portal's 取引認証 policy: approve on the phone, which shows the transfer; "
                        + "or, offline, type the code made from the payee's account number and the amount", true);
        String code = holder.approveTransfer("12", "7654321", "150000");
        if (code != null) {
            pc.locator("#signature").fill(code);
            pc.locator("#execute").click();
        }
        assertThat(pc.locator(".screen-id")).hasText("BAPR003");
        assertThat(pc.locator("#done-message")).hasText("振込依頼を承認しました。");
        walk.screenshot(pc, "12", "approval-signed", code == null
                ? "PC: nobody touched it — the page noticed the phone's approval and moved on to 承認完了 (BAPR003)"
                : "PC: the code typed into 取引認証コード approves it (BAPR003)");
        pc.locator(".menu").getByText("トップ").click();
        assertThat(pc.locator("#pending-approvals")).hasText("承認待ちのお取引：0件");
        walk.screenshot(pc, "12", "top-transfer-approved", "PC: BTOP001 — nothing waits for approval any more");
        String signed = jdbc.sql("SELECT details FROM audit_event WHERE type = 'TRANSACTION_SIGNED' ORDER BY id DESC LIMIT 1")
                .query(String.class).single();
        assertThat(signed).contains("150,000円", code == null ? "by=phone" : "by=code");
        walk.text("12", "The audit log (the console's 監査ログ reads it): what was shown and approved, its digest, by which way and token",
                "TRANSACTION_SIGNED " + signed);
        assertThat(jdbc.sql("SELECT status FROM bizweb_approval_request WHERE id = :id").param("id", transferId)
                .query(String.class).single()).isEqualTo("APPROVED");
    }

    /** A colleague of the master (never logged in) with a payee and a transfer request to the master; its id. */
    private long colleaguesTransferRequest(String accountNumber, String holderName, long amount) {
        java.time.OffsetDateTime now = clock.instant().atOffset(java.time.ZoneOffset.UTC);
        long masterId = jdbc.sql("SELECT id FROM bizweb_user WHERE login_id = :login").param("login", LOGIN_ID)
                .query(Long.class).single();
        long companyId = jdbc.sql("SELECT company_id FROM bizweb_user WHERE id = :id").param("id", masterId)
                .query(Long.class).single();
        jdbc.sql("""
                        INSERT INTO bizweb_user (company_id, login_id, password_hash, display_name, mail_address, role,
                                                 approval_right, password_changed_at, created_at, created_by)
                        VALUES (:company, 'taro02', '!', '依頼太郎', 'taro02@oozora.example.jp', 'GENERAL', FALSE, :now, :now, :master)""")
                .param("company", companyId).param("now", now).param("master", masterId).update();
        long requesterId = jdbc.sql("SELECT id FROM bizweb_user WHERE login_id = 'taro02'").query(Long.class).single();
        jdbc.sql("""
                        INSERT INTO bizweb_payee (company_id, bank_code, branch_code, account_type, account_number, holder_name,
                                                  created_at, updated_at)
                        VALUES (:company, '0005', '123', 'ORDINARY', :number, :holder, :now, :now)""")
                .param("company", companyId).param("number", accountNumber).param("holder", holderName).param("now", now)
                .update();
        jdbc.sql("""
                        INSERT INTO bizweb_approval_request (company_id, kind, summary, requested_by, approver_id, status,
                               requested_at, payee_id, bank_code, branch_code, account_type, account_number, holder_name,
                               amount, transfer_date)
                        SELECT p.company_id, 'TRANSFER', 'walk', :requester, :approver, 'PENDING', :now, p.id, p.bank_code,
                               p.branch_code, p.account_type, p.account_number, p.holder_name, :amount, :date
                        FROM bizweb_payee p WHERE p.company_id = :company AND p.account_number = :number""")
                .param("requester", requesterId).param("approver", masterId).param("now", now).param("amount", amount)
                .param("date", java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Tokyo"))))
                .param("company", companyId).param("number", accountNumber)
                .update();
        return jdbc.sql("SELECT MAX(id) FROM bizweb_approval_request WHERE requested_by = :requester")
                .param("requester", requesterId).query(Long.class).single();
    }

    /**
     * §13, the seed's other way into BLGI001 (電子証明書, docs/certificates.md): the user issues a client certificate
     * from the login page — the key pair made by the browser, the PKCS#12 file assembled there — and a browser that
     * presents it logs in over HTTPS with the login password alone, then the OTP.
     */
    private void certificate(String consoleOutput, TokenHolder holder) {
        java.util.regex.Matcher https = java.util.regex.Pattern.compile("Business Web \\(HTTPS\\)\\s+(https\\S+)")
                .matcher(consoleOutput);
        assertThat(https.find()).as("the HTTPS address in the start-up report").isTrue();
        String httpsLogin = https.group(1);
        logOut();
        pc.locator("#certificate-issue-link").click();
        assertThat(pc.locator(".screen-id")).hasText("BCRT001");
        pc.getByLabel("ログインID").fill(LOGIN_ID);
        pc.getByLabel("ログインパスワード").fill(LOGIN_PASSWORD);
        walk.screenshot(pc, "13", "certificate-issue", "PC: BLGI001 → 電子証明書発行 (BCRT001): the login ID and password prove who asks");
        pc.locator("#certificate-next").click();
        clock.advance(Duration.ofSeconds(60));
        String code = holder.showCodes("13").get(PORTAL_SERVICE_ID);
        pc.bringToFront();
        pc.locator("#otp").fill(code);
        pc.locator("#p12Password").fill("hanako-p12-2024");
        pc.locator("#p12PasswordAgain").fill("hanako-p12-2024");
        walk.screenshot(pc, "13", "certificate-sign", "PC: the OTP and a password for the certificate file; 発行 makes the key pair in the browser (WebCrypto) and sends only the PKCS#10 request");
        pc.locator("#certificate-issue-submit").click();
        try {
            pc.locator("#certificate-done").waitFor(new Locator.WaitForOptions().setTimeout(60_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("BCRT001 did not issue: " + pc.locator("#certificate-status").textContent(), e);
        }
        walk.screenshot(pc, "13", "certificate-issued", "PC: the certificate is issued; the PKCS#12 file (key, certificate, the bank's CA) is assembled in the browser, with install steps for Windows, macOS and Chrome", true);
        java.nio.file.Path p12;
        try {
            p12 = java.nio.file.Files.createTempFile("hanako01-", ".p12");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        pc.waitForDownload(() -> pc.locator("#p12Download").click()).saveAs(p12);

        String httpsOrigin = java.net.URI.create(httpsLogin).resolve("/").toString().replaceAll("/$", "");
        try (BrowserContext withCertificate = desktop.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1280, 900).setLocale("ja-JP").setTimezoneId("Asia/Tokyo").setIgnoreHTTPSErrors(true)
                .setClientCertificates(java.util.List.of(new com.microsoft.playwright.options.ClientCertificate(httpsOrigin)
                        .setPfxPath(p12).setPassphrase("hanako-p12-2024"))))) {
            Page certified = withCertificate.newPage();
            certified.navigate(httpsLogin);
            assertThat(certified.locator("#certificate-presented")).containsText(LOGIN_ID);
            certified.locator("#certificatePassword").fill(LOGIN_PASSWORD);
            walk.screenshot(certified, "13", "certificate-login", "PC with the certificate installed, at the HTTPS address of the start-up report: BLGI001 names the certificate's login ID and asks only for the login password");
            certified.locator("#certificate-login-submit").click();
            assertThat(certified.locator(".screen-id")).hasText("BLGI010");
            clock.advance(Duration.ofSeconds(60));
            String next = holder.showCodes("13").get(PORTAL_SERVICE_ID);
            certified.bringToFront();
            certified.locator("#otp").fill(next);
            certified.locator("#authenticate").click();
            assertThat(certified.locator(".screen-id")).hasText("BTOP001");
            certified.locator("#my-certificates-link").click();
            assertThat(certified.locator("#my-certificates")).containsText("有効");
            walk.screenshot(certified, "13", "certificate-list", "PC: then the OTP (BLGI010) as always, the top page, and 電子証明書: the user's certificate with 更新 (renewal)");
        }
    }

    private void firstUse(DemoCredentials demo) {
        pc.navigate(demo.portalAddress());
        assertThat(pc.locator(".screen-id")).hasText("BLGI001");
        walk.screenshot(pc, "1", "login", "PC: opens the portal address from the start-up report: ログイン BLGI001, with ログインID取得 for first use");
        pc.getByText("ログインID取得", new Page.GetByTextOptions().setExact(true)).click();

        assertThat(pc.locator(".screen-id")).hasText("BLGI002");
        pc.getByLabel("支店番号").fill(demo.branch());
        pc.getByLabel("科目").selectOption(new SelectOption().setLabel(demo.accountType()));
        pc.getByLabel("口座番号").fill(demo.accountNumber());
        pc.getByLabel("仮ログインパスワード").fill(demo.temporaryPassword());
        walk.screenshot(pc, "1", "first-use-account", "PC: ログインID取得 (BLGI002) — the representative account and the 仮ログインパスワード from the start-up report");
        pc.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();

        assertThat(pc.locator(".screen-id")).hasText("BLGI003");
        assertThat(pc.locator(".lead")).containsText(COMPANY);
        pc.locator("#displayName").fill(USER_NAME);
        pc.locator("#mailAddress").fill(PC_MAIL);
        pc.locator("#mailAddressConfirmation").fill(PC_MAIL);
        pc.locator("#loginId").fill(LOGIN_ID);
        pc.locator("#password").fill(LOGIN_PASSWORD);
        pc.locator("#passwordConfirmation").fill(LOGIN_PASSWORD);
        walk.screenshot(pc, "1", "first-use-master-user", "PC: registers the master user (BLGI003): name, mail address, the login ID and password of choice");
        pc.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("登録")).click();

        assertThat(pc.locator(".screen-id")).hasText("BLGI004");
        assertThat(pc.locator(".login-id")).hasText(LOGIN_ID);
        walk.screenshot(pc, "1", "first-use-done", "PC: first use done (BLGI004), the login ID shown");
        pc.getByText("ログイン画面へ").click();
    }

    private void logInWithSoftwareKeyboard() {
        assertThat(pc.locator(".screen-id")).hasText("BLGI001");
        pc.getByLabel("ログインID").fill(LOGIN_ID);
        pc.getByText("ソフトウェアキーボードを開く").click();
        for (char character : LOGIN_PASSWORD.toCharArray()) {
            pc.locator("#softkeyboard .key[data-key='" + character + "']").click();
        }
        assertThat(pc.getByLabel("ログインパスワード")).hasValue(LOGIN_PASSWORD);
        walk.screenshot(pc, "1", "login-software-keyboard", "PC: logs in (BLGI001) with the login ID and the password typed on the software keyboard");
        pc.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();
    }

    private void issueToken() {
        assertThat(pc.locator(".screen-id")).hasText("ELG016");
        pc.locator("#mailAddress").fill(PHONE_MAIL);
        pc.locator("#mailAddressConfirmation").fill(PHONE_MAIL);
        pc.locator("#activationPassword").fill(ACTIVATION_PASSWORD);
        pc.locator("#activationPasswordConfirmation").fill(ACTIVATION_PASSWORD);
        walk.screenshot(pc, "2", "token-issuance",
                "PC: with no token yet the portal shows トークン発行 ELG016: the phone's mail address and a 利用開始パスワード of 4–8 digits, each twice",
                true);
        pc.locator("#issue").click();

        assertThat(pc.locator(".screen-id")).hasText("ELG017");
        assertThat(pc.locator("#token-mail")).hasText(PHONE_MAIL);
        walk.screenshot(pc, "2", "otp-confirmation-waiting",
                "PC: トークン発行 — ワンタイムパスワード認証確認 ELG017 shows the mail address, サービスID and ユーザID, and waits for the code",
                true);
    }

    /** The {@code count}th トークン発行のお知らせ to the phone (other notices, e.g. of activation, arrive too). */
    private IssuanceMail mail(int count, String serviceName) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> issuanceNotices().size() >= count);
        List<MimeMessage> received = issuanceNotices();
        assertThat(received).hasSize(count);
        IssuanceMail mail = IssuanceMail.read(received.get(count - 1));
        assertThat(mail.text()).contains(serviceName, "利用開始パスワード", "控え");
        return mail;
    }

    private List<MimeMessage> issuanceNotices() {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(message -> isFor(message, PHONE_MAIL) && subject(message).equals("【かぎ銀行】トークン発行のお知らせ"))
                .toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isFor(MimeMessage message, String address) {
        try {
            Address[] to = message.getAllRecipients();
            return to != null && Arrays.stream(to).anyMatch(each -> each.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void confirmToken(String code) {
        pc.bringToFront();
        assertThat(pc.locator(".screen-id")).hasText("ELG017");
        pc.locator("#otp").fill(code);
        walk.screenshot(pc, "8", "otp-confirmation", "PC: types the code from the token into ワンタイムパスワード認証確認 (ELG017)", true);
        pc.locator("#confirm").click();
    }

    private void topPage(String section, String step, int logins, String line) {
        if (pc.locator(".screen-id").textContent().contains("BLGI010")) {
            // Diagnostics for a code the portal refused: what BLGI010 said.
            System.out.println("SeedWalk: BLGI010 instead of the top page: " + pc.locator(".field-error, .notice").allTextContents());
        }
        assertThat(pc.locator(".screen-id")).hasText("BTOP001");
        assertThat(pc.locator(".customer .company")).hasText(COMPANY);
        assertThat(pc.locator(".customer .user-name")).hasText(USER_NAME + " 様");
        assertThat(pc.locator(".customer .mail")).hasText(PC_MAIL);
        Locator history = pc.locator("#login-history tr");
        assertThat(history).hasCount(logins);
        for (Locator login : history.all()) {
            assertThat(login).hasText(HISTORY_LINE);
        }
        assertThat(pc.locator(".notices h2")).hasText("かぎ銀行からのお知らせ");
        assertThat(pc.locator("#pending-approvals")).hasText("承認待ちのお取引：0件");
        assertThat(pc.locator(".notice.warning")).hasCount(0);
        if (logins == 1) {
            assertThat(pc.getByRole(AriaRole.STATUS)).containsText("ワンタイムパスワードの設定が完了しました");
        } else {
            assertThat(history.nth(0)).not().hasText(history.nth(logins - 1).textContent());
        }
        walk.screenshot(pc, section, step, line);
    }

    private void logOut() {
        pc.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
        assertThat(pc.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。");
    }

    private void logInWithOtp(String section, String code, String step, String line) {
        pc.bringToFront();
        pc.getByLabel("ログインID").fill(LOGIN_ID);
        pc.getByLabel("ログインパスワード").fill(LOGIN_PASSWORD);
        pc.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();
        assertThat(pc.locator(".screen-id")).hasText("BLGI010");
        pc.locator("#otp").fill(code);
        walk.screenshot(pc, section, step, line);
        pc.locator("#authenticate").click();
    }
}
