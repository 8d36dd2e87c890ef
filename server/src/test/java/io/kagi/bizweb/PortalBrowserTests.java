package io.kagi.bizweb;

import java.time.Duration;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.kagi.authority.Tokens;
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

/** The portal's screens walked in headless Chromium, as a customer would; each screen is saved under target/screenshots. */
@KagiIntegrationTest
@BrowserTest
@Import(PortalTestData.ClockConfig.class)
class PortalBrowserTests {

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
    Tokens tokens;

    PortalTestData data;

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
    }

    @Test
    void walksFromFirstUseThroughTokenIssuanceAndConfirmationToTheTopPageAndLogsInLaterWithAnOtp() {
        PortalTestData.Company company = data.company("株式会社大空商事", "Temp0rary9");
        data.notice("サーバメンテナンスのお知らせ", "サービスを一時停止させていただきます。\n6月3日 2:00〜6:00",
                clock.instant().minus(Duration.ofDays(1)), null, false);
        data.notice("取り下げたお知らせ", "表示されない", clock.instant().minus(Duration.ofDays(1)), null, true);
        data.notice("まだ先のお知らせ", "表示されない", clock.instant().plus(Duration.ofDays(1)), null, false);

        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            page.navigate(url("/bizweb/login"));
            Browser.screenshot(page, "BLGI001-login");
            page.getByText("ログインID取得", new Page.GetByTextOptions().setExact(true)).click();

            assertThat(page.locator(".screen-id")).hasText("BLGI002");
            page.getByLabel("支店番号").fill("101");
            page.getByLabel("口座番号").fill(company.accountNumber());
            page.getByLabel("仮ログインパスワード").fill("wrong-one");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("代表口座または仮ログインパスワードが正しくありません");
            Browser.screenshot(page, "BLGI002-first-use-wrong-password");
            page.getByLabel("仮ログインパスワード").fill("Temp0rary9");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();

            assertThat(page.locator(".screen-id")).hasText("BLGI003");
            assertThat(page.locator(".lead")).containsText("株式会社大空商事");
            page.locator("#displayName").fill("データ花子");
            page.locator("#mailAddress").fill("hanakodt@oozora.example.jp");
            page.locator("#mailAddressConfirmation").fill("hanakodt@oozora.example.jp");
            page.locator("#loginId").fill("hanako");
            page.locator("#password").fill("hanako");
            page.locator("#passwordConfirmation").fill("hanako");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("登録")).click();
            assertThat(fieldError(page, "loginId")).hasText("英字と数字をそれぞれ1文字以上含めてください。");
            assertThat(fieldError(page, "password")).hasText("8文字以上64文字以内で入力してください。");
            Browser.screenshot(page, "BLGI003-master-user-errors");

            page.locator("#loginId").fill("hanako01");
            page.locator("#password").fill("hanako01");
            page.locator("#passwordConfirmation").fill("hanako01");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("登録")).click();
            assertThat(fieldError(page, "password")).hasText("ログインIDを含むパスワードは使用できません。");
            page.locator("#password").fill("sora-2024-x");
            page.locator("#passwordConfirmation").fill("sora-2024-y");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("登録")).click();
            assertThat(fieldError(page, "passwordConfirmation")).hasText("確認のための入力が一致しません。");
            page.locator("#password").fill("sora2024kagi");
            page.locator("#passwordConfirmation").fill("sora2024kagi");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("登録")).click();

            assertThat(page.locator(".screen-id")).hasText("BLGI004");
            assertThat(page.locator(".login-id")).hasText("hanako01");
            Browser.screenshot(page, "BLGI004-first-use-done");
            page.getByText("ログイン画面へ").click();

            // The login password entered on the software keyboard only.
            page.getByLabel("ログインID").fill("hanako01");
            page.getByText("ソフトウェアキーボードを開く").click();
            for (char character : "sora2024kagi".toCharArray()) {
                page.locator("#softkeyboard .key[data-key='" + character + "']").click();
            }
            assertThat(page.getByLabel("ログインパスワード")).hasValue("sora2024kagi");
            Browser.screenshot(page, "BLGI001-software-keyboard");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();

            assertThat(page.locator(".screen-id")).hasText("ELG016");
            Browser.screenshot(page, "ELG016-token-issuance");
            Locator issue = page.locator("#issue");
            issue.click();
            assertThat(fieldError(page, "mailAddress")).hasText("入力してください。");
            assertThat(fieldError(page, "mailAddressConfirmation")).hasText("入力してください。");
            assertThat(fieldError(page, "activationPassword")).hasText("入力してください。");
            assertThat(fieldError(page, "activationPasswordConfirmation")).hasText("入力してください。");

            fillIssuance(page, "a@b", "a@b", "12a4", "12a4");
            assertThat(fieldError(page, "mailAddress")).hasText("4文字以上64文字以内で入力してください。");
            assertThat(fieldError(page, "activationPassword")).hasText("半角数字で入力してください。");
            assertThat(fieldError(page, "mailAddressConfirmation")).isHidden();

            fillIssuance(page, "ｈａｎａｋｏ@oozora.example.jp", "x", "123", "123");
            assertThat(fieldError(page, "mailAddress")).hasText("半角英数字記号で入力してください。");
            assertThat(fieldError(page, "activationPassword")).hasText("4桁以上8桁以内で入力してください。");

            fillIssuance(page, "hanako.oozora.example.jp", "x", "2468", "2468");
            assertThat(fieldError(page, "mailAddress")).hasText("メールアドレスの形式が正しくありません。");
            assertThat(fieldError(page, "activationPassword")).isHidden();

            fillIssuance(page, "hanakodt@oozora.example.jp", "hanakodt@oozora.example.com", "24681357", "24681358");
            assertThat(fieldError(page, "mailAddressConfirmation")).hasText("確認のための入力が一致しません。");
            assertThat(fieldError(page, "activationPasswordConfirmation")).hasText("確認のための入力が一致しません。");
            assertThat(page.locator("#mailAddress")).hasValue("hanakodt@oozora.example.jp");
            assertThat(page.locator("#activationPassword")).hasValue("");
            Browser.screenshot(page, "ELG016-token-issuance-errors");

            fillIssuance(page, "hanakodt@oozora.example.jp", "hanakodt@oozora.example.jp", "24681357", "24681357");

            assertThat(page.locator(".screen-id")).hasText("ELG017");
            assertThat(page.locator("#token-mail")).hasText("hanakodt@oozora.example.jp");
            assertThat(page.locator("#service-id")).hasText("12345678");
            String userId = page.locator("#user-id").textContent().strip();
            assertThat(userId).matches("[0-9]{6}");
            Browser.screenshot(page, "ELG017-otp-confirmation");

            page.locator("#otp").fill("123456");
            page.locator("#confirm").click();
            assertThat(fieldError(page, "otp")).containsText("アプリでのトークンの初期設定がまだ完了していません");

            TestTokenDevice device = TestTokenDevice.activate(url(""), page.locator("#service-id").textContent().strip(),
                    userId, "24681357");
            page.locator("#otp").fill(wrongCode(device.codeAt(clock.instant())));
            page.locator("#confirm").click();
            assertThat(fieldError(page, "otp")).containsText("ワンタイムパスワードが正しくありません");
            Browser.screenshot(page, "ELG017-otp-confirmation-wrong-code");
            page.locator("#otp").fill(device.codeAt(clock.instant()));
            page.locator("#confirm").click();

            assertThat(page.locator(".screen-id")).hasText("BTOP001");
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("ワンタイムパスワードの設定が完了しました");
            assertThat(page.locator(".customer .company")).hasText("株式会社大空商事");
            assertThat(page.locator(".customer .user-name")).hasText("データ花子 様");
            assertThat(page.locator(".customer .mail")).hasText("hanakodt@oozora.example.jp");
            assertThat(page.locator("#login-history tr")).hasCount(1);
            assertThat(page.locator("#login-history tr").first())
                    .hasText(Pattern.compile("\\d{4}年\\d{2}月\\d{2}日\\s*\\d{2}時\\d{2}分\\d{2}秒"));
            assertThat(page.locator(".notices")).containsText("サーバメンテナンスのお知らせ");
            assertThat(page.locator(".notices")).not().containsText("取り下げたお知らせ");
            assertThat(page.locator(".notices")).not().containsText("まだ先のお知らせ");
            assertThat(page.locator("#pending-approvals")).hasText("承認待ちのお取引：0件");
            Browser.screenshot(page, "BTOP001-top-page");

            page.locator(".menu").getByText("承認").click();
            assertThat(page.locator(".screen-id")).hasText("BAPR001");
            assertThat(page.locator(".empty")).hasText("承認待ちのお取引はありません。");
            Browser.screenshot(page, "BAPR001-approvals");
            page.locator(".menu").getByText("振込先管理").click();
            assertThat(page.locator(".screen-id")).hasText("BPAY001");
            Browser.screenshot(page, "BPAY001-payees");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。");

            // A later login: password, then the OTP the policy asks for (a fresh step: the last one was used).
            clock.advance(Duration.ofSeconds(60));
            logIn(page, "hanako01", "sora2024kagi");
            assertThat(page.locator(".screen-id")).hasText("BLGI010");
            page.locator("#otp").fill(device.codeAt(clock.instant().minusSeconds(60)));
            page.locator("#authenticate").click();
            assertThat(fieldError(page, "otp")).containsText("このワンタイムパスワードは使用済みです");
            Browser.screenshot(page, "BLGI010-otp-at-login-wrong-code");
            page.locator("#otp").fill(device.codeAt(clock.instant()));
            page.locator("#authenticate").click();

            assertThat(page.locator(".screen-id")).hasText("BTOP001");
            assertThat(page.locator("#login-history tr")).hasCount(2);
        }
    }

    @Test
    void skippingIssuanceReachesTheTopPageWhereApprovalsAndPayeesAreRefusedUntilATokenIsIssued() {
        data.masterUser("skipper1", "skip2024pass", "省略太郎");
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            logIn(page, "skipper1", "skip2024pass");
            assertThat(page.locator(".screen-id")).hasText("ELG016");
            page.locator("#skip").click();

            assertThat(page.locator(".screen-id")).hasText("BTOP001");
            assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("トークン発行を省略しました");
            assertThat(page.locator(".notice.warning")).containsText("「承認」および「振込先管理」はご利用いただけません");
            Browser.screenshot(page, "BTOP001-top-page-after-skip");

            page.locator(".menu").getByText("承認").click();
            assertThat(page.locator(".screen-id")).hasText("BERR001");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("「承認」はワンタイムパスワード認証が必要なため、ご利用いただけません。");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("トークンが発行されていません");
            Browser.screenshot(page, "BERR001-approvals-refused");

            page.locator(".menu").getByText("振込先管理").click();
            assertThat(page.locator(".screen-id")).hasText("BERR001");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("「振込先管理」はワンタイムパスワード認証が必要なため");
            page.locator("#get-token").click();
            assertThat(page.locator(".screen-id")).hasText("ELG016");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。"); // the logout is done before the next step
            logIn(page, "skipper1", "skip2024pass");
            assertThat(page.locator(".screen-id")).hasText("ELG016");
        }
    }

    @Test
    void fiveWrongPasswordsInARowLockTheLoginAndSayWhoCanUnlockIt() {
        data.masterUser("locked01", "right2024pass", "施錠一郎");
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            for (int attempt = 1; attempt <= 4; attempt++) {
                logIn(page, "locked01", "wrong-" + attempt);
                assertThat(page.getByRole(AriaRole.ALERT)).hasText("ログインIDまたはログインパスワードが正しくありません。");
            }
            logIn(page, "locked01", "wrong-5");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("ログインを停止しています");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("貴社のマスターユーザまたは管理者ユーザにロック解除を依頼してください");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("マスターユーザの方は、かぎ銀行");
            Browser.screenshot(page, "BLGI001-login-locked");

            logIn(page, "locked01", "right2024pass");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("ログインを停止しています");
            assertThat(page.locator(".screen-id")).hasText("BLGI001");

            // A login ID that does not exist answers exactly the same way.
            for (int attempt = 1; attempt <= 4; attempt++) {
                logIn(page, "nobody99", "wrong-" + attempt);
                assertThat(page.getByRole(AriaRole.ALERT)).hasText("ログインIDまたはログインパスワードが正しくありません。");
            }
            logIn(page, "nobody99", "wrong-5");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("ログインを停止しています");
        }
    }

    @Test
    void aLockedTokenIsReportedOnlyAfterTheRightPasswordWithWhoCanUnlockIt() {
        long userId = data.masterUser("otplock1", "lock2024pass", "停止花子");
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), userId);
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            logIn(page, "otplock1", "lock2024pass");
            assertThat(page.locator(".screen-id")).hasText("BLGI010");
            Browser.screenshot(page, "BLGI010-otp-at-login");
            String wrong = wrongCode(device.codeAt(clock.instant()));
            for (int attempt = 1; attempt <= 4; attempt++) {
                page.locator("#otp").fill(wrong);
                page.locator("#authenticate").click();
                assertThat(fieldError(page, "otp")).containsText("ワンタイムパスワードが正しくありません");
                assertThat(fieldError(page, "otp")).containsText("あと" + (5 - attempt) + "回誤るとトークンが利用停止になります");
            }
            page.locator("#otp").fill(wrong);
            page.locator("#authenticate").click();
            assertThat(page.locator(".screen-id")).hasText("BLGI011");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("トークンの利用を停止しています");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("マスターユーザのトークンのロック解除は当行で承ります");
            Browser.screenshot(page, "BLGI011-token-locked");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト").setExact(true)).first().click();

            logIn(page, "otplock1", "not-the-password1");
            assertThat(page.getByRole(AriaRole.ALERT)).hasText("ログインIDまたはログインパスワードが正しくありません。");
            assertThat(page.content()).doesNotContain("トークンの利用を停止");

            logIn(page, "otplock1", "lock2024pass");
            assertThat(page.locator(".screen-id")).hasText("BLGI011");
            page.navigate(url("/bizweb/top"));
            assertThat(page.locator(".screen-id")).hasText("BLGI011");
        }
    }

    @Test
    void theSoftwareKeyboardIsLaidOutAfreshForEachPage() {
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            page.navigate(url("/bizweb/login"));
            String first = String.join("", page.locator("#softkeyboard .letters .key").allTextContents());
            page.reload();
            String second = String.join("", page.locator("#softkeyboard .letters .key").allTextContents());

            assertThat(first).hasSize(26);
            assertThat(second).hasSize(26).isNotEqualTo(first);
            assertThat(first.chars().sorted().toArray()).isEqualTo(second.chars().sorted().toArray());
        }
    }

    private void logIn(Page page, String loginId, String password) {
        page.navigate(url("/bizweb/login"));
        page.getByLabel("ログインID").fill(loginId);
        page.getByLabel("ログインパスワード").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();
    }

    private static void fillIssuance(Page page, String mail, String mailAgain, String password, String passwordAgain) {
        page.locator("#mailAddress").fill(mail);
        page.locator("#mailAddressConfirmation").fill(mailAgain);
        page.locator("#activationPassword").fill(password);
        page.locator("#activationPasswordConfirmation").fill(passwordAgain);
        page.locator("#issue").click();
    }

    private static Locator fieldError(Page page, String field) {
        return page.locator("#" + field + " ~ .field-error");
    }

    private static String wrongCode(String right) {
        char last = right.charAt(right.length() - 1);
        return right.substring(0, right.length() - 1) + (last == '9' ? '0' : (char) (last + 1));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
