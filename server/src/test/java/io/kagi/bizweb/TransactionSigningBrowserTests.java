package io.kagi.bizweb;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.SigningPolicy;
import io.kagi.authority.TransactionSigning;
import io.kagi.platform.Origins;
import io.kagi.test.Browser;
import io.kagi.test.BrowserTest;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 取引認証 with two browsers, a PC and a phone (docs/transaction-signing.md): the approver's phone
 * shows the transfer the server holds, payee and amount large; 承認 there moves the PC's BAPR002 on
 * by itself; 否認 is told on the PC; the offline code is made from what is typed into the app. A
 * man in the PC's browser who shows other values than the server holds gets nothing signed.
 */
@KagiIntegrationTest
@BrowserTest
@Import(PortalTestData.ClockConfig.class)
class TransactionSigningBrowserTests extends PortalTestSupport {

    @RegisterExtension
    static Browser browser = new Browser();

    @Autowired
    TransactionSigning signing;

    @Autowired
    Origins origins;

    @Override
    String prefixLetter() {
        return "s";
    }

    @BeforeEach
    void signTransfers() {
        // The phone's browser runs on the real clock; the server's test clock (shared with the other tests of
        // this context, which may have moved it or let it stand) is brought to the same time, never back.
        java.time.Duration behind = java.time.Duration.between(clock.instant(), java.time.Instant.now());
        if (!behind.isNegative()) {
            clock.advance(behind);
        }
        signing.changePolicy(PortalTestData.PORTAL, SigningPolicy.TRANSFERS, new ClientInfo("test", null));
    }

    @AfterEach
    void totpOnlyAgain() {
        signing.changePolicy(PortalTestData.PORTAL, SigningPolicy.TOTP_ONLY, new ClientInfo("test", null));
    }

    /** A master (approver) whose token is activated in the phone's app, and a colleague's pending transfer to them. */
    record Scene(long masterId, String loginId, long transferId) {
    }

    Scene scene(long amount) {
        long masterId = data.masterUser(prefix + "m", "master2024pw", "承認花子");
        long generalId = data.colleague(masterId, prefix + "g", "general2024", "依頼太郎", "GENERAL", false);
        long payeeId = data.payee(generalId, "7654321", "ｶ)ｻｸﾗｼﾖｳｼﾞ");
        return new Scene(masterId, prefix + "m", data.transferRequest(generalId, masterId, payeeId, amount));
    }

    /** Issues the master's token and activates it in the phone's token app; the app shows its code. */
    Page activateOnPhone(BrowserContext phone, long masterId) {
        IssueResult.Issued issued = (IssueResult.Issued) tokens.issue(PortalTestData.PORTAL,
                new AccountRef("bizweb-user:" + masterId), "m" + masterId + "@example.jp", "24681357".toCharArray(),
                Locale.JAPANESE, new ClientInfo("test", "127.0.0.1"));
        // The phone's clock stands where the server's test clock stands (other tests of this context move it).
        phone.clock().setFixedTime(clock.millis());
        Page app = phone.newPage();
        app.navigate(origins.appUrl());
        app.getByLabel("サービスID").fill(PortalTestData.PORTAL.digits());
        app.getByLabel("ユーザID").fill(issued.userId().digits());
        app.getByLabel("利用開始パスワード").fill("24681357");
        app.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("送信")).click();
        app.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
        assertThat(app.locator("#screen-id")).hasText("TAP003");
        return app;
    }

    /** Logs the master in on the PC with the code the phone's app shows. */
    Page logInOnPc(BrowserContext pc, Page app, String loginId) {
        Page page = pc.newPage();
        page.navigate(url("/bizweb/login"));
        page.getByLabel("ログインID").fill(loginId);
        page.getByLabel("ログインパスワード").fill("master2024pw");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("ログイン").setExact(true)).click();
        assertThat(page.locator(".screen-id")).hasText("BLGI010");
        assertThat(app.locator("#code-list .card .code")).hasText(Pattern.compile("^\\d{3} \\d{3}$"));
        page.locator("#otp").fill(app.locator("#code-list .card .code").textContent().replace(" ", ""));
        page.locator("#authenticate").click();
        assertThat(page.locator(".screen-id")).hasText("BTOP001");
        return page;
    }

    @Test
    void theApproverChecksPayeeAndAmountOnThePhoneApprovesThereAndThePcMovesOnByItself() {
        Scene scene = scene(150_000);
        try (BrowserContext phone = browser.phone(); BrowserContext pc = browser.desktop()) {
            Page app = activateOnPhone(phone, scene.masterId());
            Page page = logInOnPc(pc, app, scene.loginId());
            assertThat(page.locator("#pending-approvals")).hasText("承認待ちのお取引：1件");

            page.navigate(url("/bizweb/approvals/" + scene.transferId()));
            assertThat(page.locator(".screen-id")).hasText("BAPR002");
            assertThat(page.locator("#signing-status")).hasText("スマートフォンでの承認をお待ちしています…");
            Browser.screenshot(page, "BAPR002-signing-waiting");

            // The phone, opened, fetches the request under its status key and shows it.
            app.reload();
            assertThat(app.locator("#screen-id")).hasText("TAP006");
            assertThat(app.locator(".signing-card .signing-purpose")).hasText("振込承認");
            assertThat(app.locator(".signing-card .signing-account")).hasText("普通 7654321");
            assertThat(app.locator(".signing-card .signing-name")).hasText("ｶ)ｻｸﾗｼﾖｳｼﾞ");
            assertThat(app.locator(".signing-card .signing-amount")).hasText("150,000円");
            Browser.screenshot(app, "TAP006-signing-request");
            app.locator(".signing-card .signing-approve").click();
            assertThat(app.locator("#signing-message")).hasText("承認しました。パソコンの画面が自動的に進みます。");
            Browser.screenshot(app, "TAP006-signing-approved");

            // Nobody touches the PC: it notices the phone's answer and moves on.
            assertThat(page.locator(".screen-id")).hasText("BAPR003");
            assertThat(page.locator("#done-message")).hasText("振込依頼を承認しました。");
            Browser.screenshot(page, "BAPR003-signed-on-phone");
            page.locator(".menu").getByText("トップ").click();
            assertThat(page.locator(".screen-id")).hasText("BTOP001");
            assertThat(page.locator("#pending-approvals")).hasText("承認待ちのお取引：0件");
        }
        assertThat(jdbc.sql("SELECT status FROM bizweb_approval_request WHERE id = :id").param("id", scene.transferId())
                .query(String.class).single()).isEqualTo("APPROVED");
        Map<String, Object> signed = jdbc.sql("""
                        SELECT actor, subject, details FROM audit_event WHERE type = 'TRANSACTION_SIGNED' AND actor = :actor""")
                .param("actor", scene.loginId()).query().singleRow();
        assertThat((String) signed.get("details")).contains("振込承認 0005 123 普通", "ｶ)ｻｸﾗｼﾖｳｼﾞ 150,000円", "phone")
                .doesNotContain("7654321");
        String approvedOnPhone = jdbc.sql("SELECT details FROM audit_event WHERE type = 'SIGNING_APPROVED_ON_PHONE' AND subject = :subject")
                .param("subject", signed.get("subject")).query(String.class).single();
        assertThat(approvedOnPhone).contains("150,000円");
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE type = 'TRANSFER_APPROVED' AND actor = :actor")
                .param("actor", scene.loginId()).query(String.class).single()).contains("signing-phone");
    }

    @Test
    void underTheTransfersAndPayeesPolicyANewPayeeIsApprovedOnThePhone() {
        signing.changePolicy(PortalTestData.PORTAL, SigningPolicy.TRANSFERS_AND_PAYEES, new ClientInfo("test", null));
        Scene scene = scene(1_000);
        try (BrowserContext phone = browser.phone(); BrowserContext pc = browser.desktop()) {
            Page app = activateOnPhone(phone, scene.masterId());
            Page page = logInOnPc(pc, app, scene.loginId());
            page.navigate(url("/bizweb/payees/new"));
            page.locator("#bankCode").fill("0009");
            page.locator("#branchCode").fill("456");
            page.locator("#accountNumber").fill("2468013");
            page.locator("#holderName").fill("ｶ)ﾂﾊﾞｷｼﾖｳｶｲ");
            page.locator("#to-confirm").click();
            assertThat(page.locator(".screen-id")).hasText("BPAY003");
            assertThat(page.locator("#signing-status")).isVisible();
            assertThat(page.locator("#otp")).hasCount(0);

            app.reload();
            assertThat(app.locator(".signing-card .signing-purpose")).hasText("振込先登録");
            assertThat(app.locator(".signing-card .signing-account")).hasText("普通 2468013");
            assertThat(app.locator(".signing-card .signing-amount")).isHidden();
            Browser.screenshot(app, "TAP006-signing-payee");
            app.locator(".signing-card .signing-approve").click();

            assertThat(page.locator(".screen-id")).hasText("BPAY004");
            assertThat(page.locator("#done-message")).hasText("振込先「ｶ)ﾂﾊﾞｷｼﾖｳｶｲ」を登録しました。");
        }
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE type = 'PAYEE_REGISTERED' AND actor = :actor")
                .param("actor", scene.loginId()).query(String.class).single()).contains("factor=signing");
    }

    @Test
    void whenThePhoneIsOfflineTheCodeMadeFromTheTypedAccountAndAmountApproves() {
        Scene scene = scene(98_000);
        try (BrowserContext phone = browser.phone(); BrowserContext pc = browser.desktop()) {
            Page app = activateOnPhone(phone, scene.masterId());
            Page page = logInOnPc(pc, app, scene.loginId());
            page.navigate(url("/bizweb/approvals/" + scene.transferId()));
            assertThat(page.locator(".screen-id")).hasText("BAPR002");

            phone.setOffline(true);
            app.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("取引認証コード")).click();
            assertThat(app.locator("#screen-id")).hasText("TAP007");
            app.getByLabel("振込先の口座番号").fill("7654321");
            app.getByLabel("金額（円）").fill("98,000");
            app.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("コードを表示")).click();
            assertThat(app.locator("#offline-code")).hasText(Pattern.compile("^\\d{8}$"));
            assertThat(app.locator("#offline-summary")).hasText("口座番号 7654321 / 金額 98,000円");
            Browser.screenshot(app, "TAP007-offline-code");

            page.locator("#signature").fill(app.locator("#offline-code").textContent());
            page.locator("#execute").click();
            assertThat(page.locator("#done-message")).hasText("振込依頼を承認しました。");
        }
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE type = 'TRANSFER_APPROVED' AND actor = :actor")
                .param("actor", scene.loginId()).query(String.class).single()).contains("signing-code");
    }

    @Test
    void aManInThePcBrowserShowsOtherValuesButThePhoneShowsTheRealOnesAndNothingMadeForTheShownOnesIsAccepted() {
        // What the requester's PC submitted was altered: the server holds ¥990,000 to 7654321. The approver's
        // PC is under the same malware, which shows them the transfer they expect: ¥150,000 to 1111111.
        Scene scene = scene(990_000);
        try (BrowserContext phone = browser.phone(); BrowserContext pc = browser.desktop()) {
            Page app = activateOnPhone(phone, scene.masterId());
            Page page = logInOnPc(pc, app, scene.loginId());
            page.route("**/bizweb/approvals/" + scene.transferId(), route -> {
                com.microsoft.playwright.APIResponse real = route.fetch();
                String html = real.text().replace("7654321", "1111111").replace("990,000円", "150,000円");
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setResponse(real).setBody(html));
            });
            page.navigate(url("/bizweb/approvals/" + scene.transferId()));
            assertThat(page.locator("#transfer-detail")).containsText("普通 1111111");
            assertThat(page.locator("#transfer-detail")).containsText("150,000円");
            Browser.screenshot(page, "BAPR002-signing-altered-by-mitb");

            // The code the user makes for what the PC showed is refused, and counted.
            phone.setOffline(true);
            app.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("取引認証コード")).click();
            app.getByLabel("振込先の口座番号").fill("1111111");
            app.getByLabel("金額（円）").fill("150000");
            app.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("コードを表示")).click();
            page.locator("#signature").fill(app.locator("#offline-code").textContent());
            page.locator("#execute").click();
            assertThat(page.locator("#signature ~ .field-error")).hasText(
                    "取引認証コードが正しくありません。アプリに入力した口座番号と金額が、この画面の振込先・金額と同じか確かめてください。あと4回誤るとトークンが利用停止になります。");

            // The phone shows the real values.
            phone.setOffline(false);
            app.reload();
            assertThat(app.locator("#screen-id")).hasText("TAP006");
            assertThat(app.locator(".signing-card .signing-account")).hasText("普通 7654321");
            assertThat(app.locator(".signing-card .signing-amount")).hasText("990,000円");
            Browser.screenshot(app, "TAP006-signing-real-values");

            // An approval signed for what the PC showed (the malware's) does not verify at the authority.
            Object refused = app.evaluate("""
                    async () => {
                      const { listTokens } = await import('./store.js');
                      const { answer, fetchPending } = await import('./signing.js');
                      const [token] = await listTokens();
                      const [request] = await fetchPending(token);
                      const seen = { ...request, fields: { ...request.fields, account: '1111111', amount: '150000' } };
                      return JSON.stringify(await answer(token, seen, 'approve', Date.now() + token.clockOffsetMillis));
                    }""");
            assertThat(refused).isEqualTo("{\"ok\":false,\"reason\":\"wrong-signature\"}");

            // The approver refuses on the phone; the PC says so.
            app.locator(".signing-card .signing-deny").click();
            assertThat(app.locator("#signing-message")).hasText("否認しました。この取引は実行されません。");
            assertThat(page.locator("#signing-denied")).isVisible();
            Browser.screenshot(page, "BAPR002-signing-denied-on-phone");
        }
        assertThat(jdbc.sql("SELECT status FROM bizweb_approval_request WHERE id = :id").param("id", scene.transferId())
                .query(String.class).single()).isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT details FROM audit_event WHERE type = 'SIGNING_REJECTED' AND subject LIKE :subject ORDER BY id")
                .param("subject", "token:" + PortalTestData.PORTAL + "/%").query(String.class).list())
                .anySatisfy(details -> assertThat(details).contains("way=code"))
                .anySatisfy(details -> assertThat(details).contains("way=phone"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'SIGNING_DENIED_ON_PHONE' AND details LIKE '%990,000円%'")
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT consecutive_failures FROM authority_token t JOIN authority_account a ON a.id = t.account_fk "
                        + "WHERE a.account_ref = :ref ORDER BY t.id DESC LIMIT 1")
                .param("ref", "bizweb-user:" + scene.masterId()).query(Integer.class).single()).isEqualTo(2);
    }
}
