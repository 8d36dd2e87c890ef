package io.kagi.bizweb;

import java.time.Duration;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
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

/**
 * The work that needs an OTP walked in headless Chromium: 振込先管理, 振込依頼 and 承認 by two users of
 * one company, and 利用者管理 by a master user. Each new screen is saved under target/screenshots.
 */
@KagiIntegrationTest
@BrowserTest
@Import(PortalTestData.ClockConfig.class)
class PortalWorkBrowserTests {

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
    void aGeneralUserRegistersAPayeeAndRequestsATransferWhichTheMasterReturnsAndThenApprovesEachWithAFreshOtp() {
        long masterId = data.masterUser("kmaster01", "master2024pw", "承認花子");
        long generalId = data.colleague(masterId, "kgeneral01", "general2024", "依頼太郎", "GENERAL", false);
        TestTokenDevice masterDevice = PortalTestData.activeToken(tokens, url(""), masterId);
        TestTokenDevice generalDevice = PortalTestData.activeToken(tokens, url(""), generalId);

        try (BrowserContext generalContext = browser.desktop(); BrowserContext masterContext = browser.desktop()) {
            Page general = generalContext.newPage();
            logInWithOtp(general, "kgeneral01", "general2024", generalDevice);

            // 振込先管理: register a payee, with field errors first and a wrong code on the confirm screen.
            general.locator(".menu").getByText("振込先管理").click();
            assertThat(general.locator(".screen-id")).hasText("BPAY001");
            general.locator("#register-payee").click();
            assertThat(general.locator(".screen-id")).hasText("BPAY002");
            fillPayee(general, "12", "1a", "1234567", "ｶﾌﾞｼｷｶﾞｲｼｬ　ｻｸﾗ");
            assertThat(fieldError(general, "bankCode")).hasText("半角数字4桁で入力してください。");
            assertThat(fieldError(general, "branchCode")).hasText("半角数字3桁で入力してください。");
            assertThat(fieldError(general, "holderName")).containsText("半角カナで入力してください。");
            assertThat(fieldError(general, "accountNumber")).isHidden();
            Browser.screenshot(general, "BPAY002-payee-input-errors");
            fillPayee(general, "0005", "123", "7654321", "ｶ)ｻｸﾗｼﾖｳｼﾞ");
            assertThat(general.locator(".screen-id")).hasText("BPAY003");
            assertThat(general.locator("#confirm-table")).containsText("ｶ)ｻｸﾗｼﾖｳｼﾞ");
            assertThat(general.locator("#confirm-table")).containsText("7654321");
            clock.advance(Duration.ofSeconds(60));
            general.locator("#otp").fill(wrongCode(generalDevice.codeAt(clock.instant())));
            general.locator("#execute").click();
            assertThat(fieldError(general, "otp")).containsText("ワンタイムパスワードが正しくありません");
            assertThat(general.locator("#confirm-table")).containsText("ｶ)ｻｸﾗｼﾖｳｼﾞ");
            Browser.screenshot(general, "BPAY003-payee-confirm-wrong-code");
            general.locator("#otp").fill(generalDevice.codeAt(clock.instant()));
            general.locator("#execute").click();
            assertThat(general.locator(".screen-id")).hasText("BPAY004");
            assertThat(general.locator("#done-message")).hasText("振込先「ｶ)ｻｸﾗｼﾖｳｼﾞ」を登録しました。");
            Browser.screenshot(general, "BPAY004-payee-done");
            general.getByText("振込先一覧へ").click();
            assertThat(general.locator("#payee-list")).containsText("ｶ)ｻｸﾗｼﾖｳｼﾞ");
            Browser.screenshot(general, "BPAY001-payees");

            // 振込依頼 to the master.
            general.locator(".menu").getByText("振込依頼").click();
            assertThat(general.locator(".screen-id")).hasText("BTRF001");
            general.locator("#new-transfer").click();
            assertThat(general.locator(".screen-id")).hasText("BTRF002");
            general.locator("#payeeId").selectOption(new SelectOption().setIndex(1));
            general.locator("#amount").fill("150000");
            general.locator("#approverId").selectOption(new SelectOption().setIndex(1));
            Browser.screenshot(general, "BTRF002-transfer-input");
            general.locator("#to-confirm").click();
            assertThat(general.locator(".screen-id")).hasText("BTRF003");
            assertThat(general.locator("#confirm-table")).containsText("150,000円");
            assertThat(general.locator("#confirm-table")).containsText("承認花子");
            Browser.screenshot(general, "BTRF003-transfer-confirm");
            general.locator("#execute").click();
            assertThat(general.locator(".screen-id")).hasText("BTRF004");
            assertThat(general.locator("#done-message")).hasText("承認花子 様に承認を依頼しました。");
            general.getByText("振込依頼一覧へ").click();
            assertThat(general.locator("#transfer-list .status")).hasText("承認待ち");
            Browser.screenshot(general, "BTRF001-transfers");
            long requestId = Long.parseLong(general.locator("#transfer-list tr[data-transfer-id]").getAttribute("data-transfer-id"));

            // Nobody approves their own request, even by typing the address.
            general.navigate(url("/bizweb/approvals/" + requestId));
            assertThat(general.locator(".screen-id")).hasText("BERR002");
            assertThat(general.getByRole(AriaRole.ALERT)).hasText("ご自身が依頼した振込は承認できません。他の承認者に承認を依頼してください。");
            Browser.screenshot(general, "BERR002-self-approval-refused");

            // The master sees the request waiting and returns it with a comment.
            Page master = masterContext.newPage();
            logInWithOtp(master, "kmaster01", "master2024pw", masterDevice);
            assertThat(master.locator("#pending-approvals")).hasText("承認待ちのお取引：1件");
            master.locator("#pending-approvals").click();
            assertThat(master.locator(".screen-id")).hasText("BAPR001");
            assertThat(master.locator("#approval-list")).containsText("150,000円");
            Browser.screenshot(master, "BAPR001-approvals");
            master.locator("#approval-list a.decide").click();
            assertThat(master.locator(".screen-id")).hasText("BAPR002");
            assertThat(master.locator("#transfer-detail")).containsText("ｶ)ｻｸﾗｼﾖｳｼﾞ");
            Browser.screenshot(master, "BAPR002-approval-confirm");
            master.locator("#decision-return").check();
            master.locator("#comment").fill("金額を確認してください");
            clock.advance(Duration.ofSeconds(60));
            String usedCode = masterDevice.codeAt(clock.instant());
            master.locator("#otp").fill(usedCode);
            master.locator("#execute").click();
            assertThat(master.locator(".screen-id")).hasText("BAPR003");
            assertThat(master.locator("#done-message")).hasText("振込依頼を差戻しました。");
            Browser.screenshot(master, "BAPR003-approval-done");

            // The requester edits the returned request and sends it again.
            general.navigate(url("/bizweb/transfers/" + requestId));
            assertThat(general.locator(".screen-id")).hasText("BTRF005");
            assertThat(general.locator("#transfer-detail .status")).hasText("差戻し");
            assertThat(general.locator("#transfer-detail .comment")).hasText("金額を確認してください");
            general.locator("#edit-transfer").click();
            assertThat(general.locator(".screen-id")).hasText("BTRF002");
            general.locator("#amount").fill("120000");
            general.locator("#approverId").selectOption(new SelectOption().setIndex(1));
            general.locator("#to-confirm").click();
            general.locator("#execute").click();
            assertThat(general.locator(".screen-id")).hasText("BTRF004");

            // The code that returned it does not approve it: an OTP serves one operation.
            master.navigate(url("/bizweb/approvals/" + requestId));
            assertThat(master.locator("#transfer-detail")).containsText("120,000円");
            master.locator("#decision-approve").check();
            master.locator("#otp").fill(usedCode);
            master.locator("#execute").click();
            assertThat(fieldError(master, "otp")).containsText("このワンタイムパスワードは使用済みです");
            Browser.screenshot(master, "BAPR002-approval-used-code-refused");
            clock.advance(Duration.ofSeconds(60));
            master.locator("#decision-approve").check();
            master.locator("#otp").fill(masterDevice.codeAt(clock.instant()));
            master.locator("#execute").click();
            assertThat(master.locator("#done-message")).hasText("振込依頼を承認しました。");
            master.locator(".menu").getByText("トップ").click();
            assertThat(master.locator("#pending-approvals")).hasText("承認待ちのお取引：0件");

            // Approved is final: the requester sees it approved and can no longer edit it.
            general.navigate(url("/bizweb/transfers/" + requestId));
            assertThat(general.locator("#transfer-detail .status")).hasText("承認済");
            assertThat(general.locator("#edit-transfer")).hasCount(0);
            Browser.screenshot(general, "BTRF005-transfer-approved");
            general.navigate(url("/bizweb/transfers/" + requestId + "/edit"));
            assertThat(general.getByRole(AriaRole.ALERT)).hasText("この依頼は承認済のため、変更できません。");
        }
    }

    @Test
    void theMasterAddsAUserWhoChangesTheInitialPasswordThenManagesTheirRoleLoginAndTokenAndRevokesIt() {
        long masterId = data.masterUser("kmaster02", "master2024pw", "管理花子");
        long lockedId = data.colleague(masterId, "klocked02", "locked2024pw", "停止次郎", "GENERAL", false);
        TestTokenDevice masterDevice = PortalTestData.activeToken(tokens, url(""), masterId);
        PortalTestData.activeToken(tokens, url(""), lockedId);
        for (int attempt = 0; attempt < 5; attempt++) {
            tokens.verify(PortalTestData.PORTAL, new AccountRef("bizweb-user:" + lockedId), "000000", new ClientInfo("test", "127.0.0.1"));
        }

        try (BrowserContext masterContext = browser.desktop(); BrowserContext userContext = browser.desktop()) {
            Page master = masterContext.newPage();
            logInWithOtp(master, "kmaster02", "master2024pw", masterDevice);
            master.locator(".menu").getByText("利用者管理").click();
            assertThat(master.locator(".screen-id")).hasText("BUSR001");
            assertThat(row(master, "klocked02").locator(".token-state")).hasText("利用停止");
            assertThat(row(master, "kmaster02").locator("a.manage")).hasCount(0);

            // Add a user: the initial password is shown once.
            master.locator("#add-user").click();
            assertThat(master.locator(".screen-id")).hasText("BUSR002");
            master.locator("#loginId").fill("knewuser02");
            master.locator("#displayName").fill("新人三郎");
            master.locator("#mailAddress").fill("shinjin@example.jp");
            Browser.screenshot(master, "BUSR002-user-input");
            master.locator("#to-confirm").click();
            assertThat(master.locator(".screen-id")).hasText("BUSR003");
            assertThat(master.locator("#confirm-table")).containsText("knewuser02");
            Browser.screenshot(master, "BUSR003-user-add-confirm");
            confirmWithOtp(master, masterDevice);
            assertThat(master.locator(".screen-id")).hasText("BUSR004");
            assertThat(master.locator("#done-message")).hasText("利用者 knewuser02 を追加しました。");
            String initialPassword = master.locator("#initial-password").textContent().strip();
            assertThat(initialPassword).hasSize(12);
            Browser.screenshot(master, "BUSR004-user-added");

            // The new user must change the initial password first, then issues a token and sets it up.
            Page user = userContext.newPage();
            logIn(user, "knewuser02", initialPassword);
            assertThat(user.locator(".screen-id")).hasText("BPWD001");
            user.navigate(url("/bizweb/top"));
            assertThat(user.locator(".screen-id")).hasText("BPWD001");
            user.locator("#currentPassword").fill(initialPassword);
            user.locator("#newPassword").fill(initialPassword);
            user.locator("#newPasswordConfirmation").fill(initialPassword);
            user.locator("#change-password").click();
            assertThat(fieldError(user, "newPassword")).hasText("現在のログインパスワードと異なるものを指定してください。");
            Browser.screenshot(user, "BPWD001-password-change-error");
            user.locator("#currentPassword").fill(initialPassword);
            user.locator("#newPassword").fill("shinjin2024");
            user.locator("#newPasswordConfirmation").fill("shinjin2024");
            user.locator("#change-password").click();
            assertThat(user.locator(".screen-id")).hasText("ELG016");
            TestTokenDevice userDevice = issueAndConfirm(user, "shinjin@example.jp", "2468");
            assertThat(user.locator(".screen-id")).hasText("BTOP001");
            user.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
            assertThat(user.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。"); // the logout is done before the next step

            // Role: administrator with the approval right.
            master.navigate(url("/bizweb/users"));
            assertThat(row(master, "knewuser02").locator(".token-state")).hasText("利用中");
            Browser.screenshot(master, "BUSR001-users");
            row(master, "knewuser02").locator("a.manage").click();
            assertThat(master.locator(".screen-id")).hasText("BUSR005");
            Browser.screenshot(master, "BUSR005-user");
            master.locator("#role").selectOption("ADMIN");
            master.locator("#approvalRight").check();
            master.locator("#op-ROLE").click();
            assertThat(master.locator("#confirm-table")).containsText("管理者ユーザ（承認権限あり）");
            confirmWithOtp(master, masterDevice);
            assertThat(master.locator("#done-message")).hasText("knewuser02 の権限を変更しました。");

            // Lock the login, and unlock it.
            master.navigate(url("/bizweb/users"));
            row(master, "knewuser02").locator("a.manage").click();
            master.locator("#op-LOCK_LOGIN").click();
            confirmWithOtp(master, masterDevice);
            assertThat(master.locator("#done-message")).hasText("knewuser02 のログインをロックしました。");
            logIn(user, "knewuser02", "shinjin2024");
            assertThat(user.getByRole(AriaRole.ALERT)).containsText("ログインを停止しています");
            master.navigate(url("/bizweb/users"));
            assertThat(row(master, "knewuser02").locator(".login-state")).hasText("ロック中");
            row(master, "knewuser02").locator("a.manage").click();
            master.locator("#op-UNLOCK_LOGIN").click();
            confirmWithOtp(master, masterDevice);
            assertThat(master.locator("#done-message")).hasText("knewuser02 のログインのロックを解除しました。");

            // Unlock another user's locked token.
            master.navigate(url("/bizweb/users"));
            row(master, "klocked02").locator("a.manage").click();
            master.locator("#op-UNLOCK_TOKEN").click();
            assertThat(master.locator("#confirm-lead")).containsText("利用停止を解除します");
            confirmWithOtp(master, masterDevice);
            master.navigate(url("/bizweb/users"));
            assertThat(row(master, "klocked02").locator(".token-state")).hasText("利用中");

            // Revoke the new user's token (a lost phone): they issue again once the master allowed it
            // and the cooling-off has passed, with a fresh ユーザID (docs/security.md T16, T3).
            row(master, "knewuser02").locator("a.manage").click();
            master.locator("#op-REVOKE_TOKEN").click();
            assertThat(master.locator(".screen-id")).hasText("BUSR003");
            Browser.screenshot(master, "BUSR003-revoke-token-confirm");
            confirmWithOtp(master, masterDevice);
            assertThat(master.locator("#done-message")).hasText("knewuser02 のトークンを失効させました。");
            assertThat(master.locator("#reissue-note")).containsText("トークン再発行の許可");
            Browser.screenshot(master, "BUSR004-token-revoked");
            master.navigate(url("/bizweb/users"));
            assertThat(row(master, "knewuser02").locator(".token-state")).hasText("失効");

            logIn(user, "knewuser02", "shinjin2024");
            assertThat(user.locator(".screen-id")).hasText("ELG016");
            assertThat(user.locator("#reissue-held")).containsText("トークン再発行の許可");
            assertThat(user.locator("#issue")).hasCount(0);
            Browser.screenshot(user, "ELG016-reissue-held");
            user.locator(".menu").getByText("振込先管理").click();
            assertThat(user.locator(".screen-id")).hasText("BERR001");
            assertThat(user.getByRole(AriaRole.ALERT)).containsText("トークンが失効しています");
            Browser.screenshot(user, "BERR001-token-revoked");
            user.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
            assertThat(user.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。"); // the logout is done before the next step

            master.navigate(url("/bizweb/users"));
            row(master, "knewuser02").locator("a.manage").click();
            master.locator("#op-ALLOW_REISSUE").click();
            assertThat(master.locator("#confirm-lead")).containsText("新しいトークンの発行を許可します");
            confirmWithOtp(master, masterDevice);
            assertThat(master.locator("#done-message")).hasText("knewuser02 のトークン再発行を許可しました。");

            logIn(user, "knewuser02", "shinjin2024");
            assertThat(user.locator(".screen-id")).hasText("ELG016");
            fillIssuance(user, "shinjin@example.jp", "1357");
            assertThat(user.getByRole(AriaRole.ALERT)).containsText("トークンが失効した直後のため");
            user.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログアウト")).click();
            assertThat(user.getByRole(AriaRole.STATUS)).hasText("ログアウトしました。");

            clock.advance(Duration.ofMinutes(31));
            logIn(user, "knewuser02", "shinjin2024");
            assertThat(user.locator(".screen-id")).hasText("ELG016");
            TestTokenDevice newDevice = issueAndConfirm(user, "shinjin@example.jp", "1357");
            assertThat(user.locator(".screen-id")).hasText("BTOP001");
            assertThat(newDevice.userId()).isNotEqualTo(userDevice.userId());
        }
    }

    private TestTokenDevice issueAndConfirm(Page page, String mail, String activationPassword) {
        fillIssuance(page, mail, activationPassword);
        assertThat(page.locator(".screen-id")).hasText("ELG017");
        TestTokenDevice device = TestTokenDevice.activate(url(""), page.locator("#service-id").textContent().strip(),
                page.locator("#user-id").textContent().strip(), activationPassword);
        page.locator("#otp").fill(device.codeAt(clock.instant()));
        page.locator("#confirm").click();
        return device;
    }

    private static void fillIssuance(Page page, String mail, String activationPassword) {
        page.locator("#mailAddress").fill(mail);
        page.locator("#mailAddressConfirmation").fill(mail);
        page.locator("#activationPassword").fill(activationPassword);
        page.locator("#activationPasswordConfirmation").fill(activationPassword);
        page.locator("#issue").click();
    }

    private void confirmWithOtp(Page page, TestTokenDevice device) {
        clock.advance(Duration.ofSeconds(60));
        page.locator("#otp").fill(device.codeAt(clock.instant()));
        page.locator("#execute").click();
    }

    private void logInWithOtp(Page page, String loginId, String password, TestTokenDevice device) {
        logIn(page, loginId, password);
        assertThat(page.locator(".screen-id")).hasText("BLGI010");
        clock.advance(Duration.ofSeconds(60));
        page.locator("#otp").fill(device.codeAt(clock.instant()));
        page.locator("#authenticate").click();
        assertThat(page.locator(".screen-id")).hasText("BTOP001");
    }

    private void logIn(Page page, String loginId, String password) {
        page.navigate(url("/bizweb/login"));
        page.getByLabel("ログインID").fill(loginId);
        page.getByLabel("ログインパスワード").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();
    }

    private static void fillPayee(Page page, String bank, String branch, String number, String holder) {
        page.locator("#bankCode").fill(bank);
        page.locator("#branchCode").fill(branch);
        page.locator("#accountNumber").fill(number);
        page.locator("#holderName").fill(holder);
        page.locator("#to-confirm").click();
    }

    private static Locator row(Page page, String loginId) {
        return page.locator("#user-list tr[data-login-id='" + loginId + "']");
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
