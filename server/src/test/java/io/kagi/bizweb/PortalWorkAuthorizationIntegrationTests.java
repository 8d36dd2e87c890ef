package io.kagi.bizweb;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The work that needs an OTP (振込先管理, 振込依頼, 承認, 利用者管理) asked over plain HTTP: each
 * operation refused without the OTP factor, without a fresh OTP, for the wrong role, and across
 * companies (404, never revealing another company's data); and the field rules of its forms.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class PortalWorkAuthorizationIntegrationTests extends PortalTestSupport {

    @Override
    String prefixLetter() {
        return "w";
    }

    /** A company with a master, an administrator without the approval right and a general user, each with a token. */
    private final class Company {
        final long master;
        final long admin;
        final long general;
        final TestTokenDevice masterDevice;
        final TestTokenDevice adminDevice;
        final TestTokenDevice generalDevice;
        final String tag;

        Company(String tag) {
            this.tag = tag;
            master = data.masterUser(prefix + tag + "m1", "master2024pw", "マスター" + tag);
            admin = data.colleague(master, prefix + tag + "a1", "admin2024pw", "管理者" + tag, "ADMIN", false);
            general = data.colleague(master, prefix + tag + "g1", "general2024", "一般" + tag, "GENERAL", false);
            masterDevice = PortalTestData.activeToken(tokens, url(""), master);
            adminDevice = PortalTestData.activeToken(tokens, url(""), admin);
            generalDevice = PortalTestData.activeToken(tokens, url(""), general);
        }

        PortalClient asMaster() {
            return new PortalClient(url("")).logInWithOtp(prefix + tag + "m1", "master2024pw", masterDevice, clock);
        }

        PortalClient asAdmin() {
            return new PortalClient(url("")).logInWithOtp(prefix + tag + "a1", "admin2024pw", adminDevice, clock);
        }

        PortalClient asGeneral() {
            return new PortalClient(url("")).logInWithOtp(prefix + tag + "g1", "general2024", generalDevice, clock);
        }
    }

    @Test
    void everyOperationIsRefusedWithoutTheOtpFactorEvenWithARightCode() {
        Company company = new Company("a");
        long payee = data.payee(company.master, "1111111", "ﾃｽﾄ ｼｮｳｼﾞ");
        long request = data.transferRequest(company.general, company.master, payee, 5000);
        PortalClient passwordOnly = new PortalClient(url(""));
        assertThat(PortalClient.location(passwordOnly.logIn(prefix + "am1", "master2024pw"))).endsWith("/bizweb/otp");

        for (String path : List.of("/bizweb/payees", "/bizweb/payees/new", "/bizweb/payees/" + payee + "/edit",
                "/bizweb/transfers", "/bizweb/transfers/new", "/bizweb/approvals", "/bizweb/approvals/" + request,
                "/bizweb/users", "/bizweb/users/new", "/bizweb/users/" + company.general)) {
            assertThat(PortalClient.location(passwordOnly.get(path))).as(path).endsWith("/bizweb/otp");
        }
        clock.advance(Duration.ofSeconds(60));
        String code = company.masterDevice.codeAt(clock.instant());
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/bizweb/payees/execute", Map.of("operation", "REGISTER", "bankCode", "0001", "branchCode", "001",
                "accountType", "ORDINARY", "accountNumber", "7654321", "holderName", "ｶﾞｲﾌﾞ", "otp", code));
        posts.put("/bizweb/approvals/execute", Map.of("id", String.valueOf(request), "version", "0", "decision", "APPROVE",
                "otp", code));
        posts.put("/bizweb/users/execute", Map.of("operation", "LOCK_LOGIN", "targetId", String.valueOf(company.general),
                "otp", code));
        posts.put("/bizweb/transfers/execute", Map.of("payeeId", String.valueOf(payee), "amount", "100",
                "transferDate", today().toString(), "approverId", String.valueOf(company.master)));
        posts.forEach((path, form) ->
                assertThat(PortalClient.location(passwordOnly.submit(path, form))).as(path).endsWith("/bizweb/otp"));

        assertThat(count("SELECT COUNT(*) FROM bizweb_payee WHERE company_id = " + data.companyOf(company.master))).isEqualTo(1);
        assertThat(status(request)).isEqualTo("PENDING");
        assertThat(loginLocked(company.general)).isFalse();
        assertThat(count("SELECT COUNT(*) FROM bizweb_approval_request WHERE requested_by = " + company.master)).isZero();
    }

    @Test
    void eachChangeNeedsAFreshOtpOnItsConfirmScreenAndACodeServesOneOperationOnly() {
        Company company = new Company("b");
        PortalClient master = company.asMaster();
        Map<String, String> payee = new LinkedHashMap<>(Map.of("operation", "REGISTER", "bankCode", "0009",
                "branchCode", "456", "accountType", "CURRENT", "accountNumber", "2345678", "holderName", "ｶ)ｵｵｿﾞﾗ"));
        String confirm = master.confirmPage("/bizweb/payees/confirm", payee);
        assertThat(confirm).contains("BPAY003", "ｶ)ｵｵｿﾞﾗ", "2345678", "当座");

        Map<String, String> withoutCode = new LinkedHashMap<>(payee);
        withoutCode.put("transactionToken", PortalClient.transactionToken(confirm));
        String again = master.confirmPage("/bizweb/payees/execute", withoutCode);
        assertThat(again).contains("BPAY003", "入力してください。");

        clock.advance(Duration.ofSeconds(60));
        String right = company.masterDevice.codeAt(clock.instant());
        Map<String, String> wrongCode = new LinkedHashMap<>(payee);
        wrongCode.put("transactionToken", PortalClient.transactionToken(again));
        wrongCode.put("otp", right.equals("000000") ? "000001" : "000000");
        String wrong = master.confirmPage("/bizweb/payees/execute", wrongCode);
        assertThat(wrong).contains("BPAY003", "ワンタイムパスワードが正しくありません", "ｶ)ｵｵｿﾞﾗ");
        assertThat(count("SELECT COUNT(*) FROM bizweb_payee WHERE account_number = '2345678' AND company_id = " + data.companyOf(company.master))).isZero();
        assertThat(tokens.status(PortalTestData.PORTAL, new io.kagi.authority.AccountRef("bizweb-user:" + company.master))
                .orElseThrow().consecutiveFailures()).isEqualTo(1);

        Map<String, String> rightCode = new LinkedHashMap<>(payee);
        rightCode.put("transactionToken", PortalClient.transactionToken(wrong));
        rightCode.put("otp", right);
        assertThat(PortalClient.location(master.submit("/bizweb/payees/execute", rightCode))).endsWith("/bizweb/payees/done");
        assertThat(count("SELECT COUNT(*) FROM bizweb_payee WHERE account_number = '2345678' AND company_id = " + data.companyOf(company.master))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE type = 'PAYEE_REGISTERED' AND details LIKE '%account=***5678%' AND company_id = "
                + data.companyOf(company.master)))
                .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE details LIKE '%2345678%'")).isZero();

        // The same code for the next operation: refused as used (wait for the next code), nothing changes.
        String lock = master.confirmPage("/bizweb/users/" + company.general + "/confirm", Map.of("operation", "LOCK_LOGIN"));
        HttpResponse<String> replay = master.submit("/bizweb/users/execute", Map.of("operation", "LOCK_LOGIN",
                "targetId", String.valueOf(company.general), "transactionToken", PortalClient.transactionToken(lock),
                "otp", right));
        assertThat(replay.body()).contains("BUSR003", "このワンタイムパスワードは使用済みです");
        assertThat(loginLocked(company.general)).isFalse();

        // A second submission of a confirm screen already executed is refused too.
        assertThat(PortalClient.location(master.submit("/bizweb/payees/execute", rightCode))).endsWith("/bizweb/payees");
        assertThat(count("SELECT COUNT(*) FROM bizweb_payee WHERE account_number = '2345678' AND company_id = " + data.companyOf(company.master))).isEqualTo(1);
    }

    @Test
    void theWrongRoleIsRefusedWithTheReason() {
        Company company = new Company("c");
        long payee = data.payee(company.master, "3333333", "ﾔﾏﾀﾞ ﾀﾛｳ");
        long toMaster = data.transferRequest(company.general, company.master, payee, 12000);
        long byMaster = data.transferRequest(company.master, company.admin, payee, 13000);

        PortalClient general = company.asGeneral();
        assertForbidden(general.get("/bizweb/users"), "利用者管理はマスターユーザと管理者ユーザのみ");
        assertForbidden(general.get("/bizweb/users/new"), "利用者管理はマスターユーザと管理者ユーザのみ");
        assertForbidden(general.submit("/bizweb/users/execute", Map.of("operation", "LOCK_LOGIN",
                "targetId", String.valueOf(company.admin), "otp", "123456")), "利用者管理はマスターユーザと管理者ユーザのみ");
        assertForbidden(general.get("/bizweb/approvals/" + toMaster), "ご自身が依頼した振込は承認できません");
        // An execute step without a form this user confirmed carries out nothing.
        assertNothingConfirmed(general.submit("/bizweb/approvals/execute", Map.of("id", String.valueOf(toMaster), "version", "0",
                "decision", "APPROVE", "otp", "123456")), "/bizweb/approvals");
        assertThat(general.get("/bizweb/users").body()).doesNotContain(prefix + "cm1");

        PortalClient admin = company.asAdmin();
        assertForbidden(admin.get("/bizweb/approvals/" + byMaster), "承認権限がありません");
        assertForbidden(admin.get("/bizweb/approvals/" + toMaster), "承認権限がありません");
        assertForbidden(admin.get("/bizweb/users/" + company.master), "マスターユーザに対する操作は当行で承ります");
        assertNothingConfirmed(admin.submit("/bizweb/users/execute", Map.of("operation", "REVOKE_TOKEN",
                "targetId", String.valueOf(company.master), "otp", "123456")), "/bizweb/users");
        assertForbidden(admin.get("/bizweb/users/" + company.admin), "ご自身に対してこの操作はできません");
        assertThat(admin.get("/bizweb/users/" + company.general).body()).contains("BUSR005");

        PortalClient master = company.asMaster();
        assertForbidden(master.get("/bizweb/users/" + company.master), "ご自身に対してこの操作はできません");
        assertForbidden(master.submit("/bizweb/users/" + company.master + "/confirm", Map.of("operation", "LOCK_LOGIN")),
                "ご自身に対してこの操作はできません");
        assertForbidden(master.get("/bizweb/approvals/" + byMaster), "ご自身が依頼した振込は承認できません");
        assertForbidden(master.get("/bizweb/transfers/" + toMaster + "/edit"), "この依頼を修正できるのは依頼者のみです");

        // An approved request is final: it can be neither decided again nor edited.
        jdbc.sql("UPDATE bizweb_approval_request SET status = 'APPROVED' WHERE id = :id").param("id", toMaster).update();
        assertForbidden(master.get("/bizweb/approvals/" + toMaster), "この依頼は承認済のため、変更できません");
        assertForbidden(general.get("/bizweb/transfers/" + toMaster + "/edit"), "この依頼は承認済のため、変更できません");
        assertNothingConfirmed(general.submit("/bizweb/transfers/execute", Map.of("id", String.valueOf(toMaster), "version", "0",
                "payeeId", String.valueOf(payee), "amount", "1", "transferDate", today().toString(),
                "approverId", String.valueOf(company.master))), "/bizweb/transfers");
        assertThat(count("SELECT amount FROM bizweb_approval_request WHERE id = " + toMaster)).isEqualTo(12000);
        assertThat(loginLocked(company.admin)).isFalse();
        assertThat(status(byMaster)).isEqualTo("PENDING");
    }

    @Test
    void anotherCompanysDataIsNeitherShownNorFoundNorChangedByUrlTampering() {
        Company mine = new Company("d");
        Company theirs = new Company("e");
        long payee = data.payee(theirs.master, "4444444", "ﾖｿﾉ ｶｲｼｬ");
        long request = data.transferRequest(theirs.general, theirs.master, payee, 99000);

        PortalClient master = mine.asMaster();
        assertThat(master.get("/bizweb/payees").body()).contains("BPAY001").doesNotContain("ﾖｿﾉ ｶｲｼｬ");
        assertThat(master.get("/bizweb/users").body()).contains(prefix + "dg1").doesNotContain(prefix + "eg1");
        for (String path : List.of("/bizweb/payees/" + payee + "/edit", "/bizweb/payees/" + payee + "/delete",
                "/bizweb/transfers/" + request, "/bizweb/transfers/" + request + "/edit", "/bizweb/approvals/" + request,
                "/bizweb/users/" + theirs.general, "/bizweb/users/" + theirs.master)) {
            HttpResponse<String> response = master.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).contains("BERR003").doesNotContain("ﾖｿﾉ ｶｲｼｬ", "4444444");
        }
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/bizweb/payees/confirm", Map.of("operation", "CHANGE", "id", String.valueOf(payee), "version", "0",
                "bankCode", "0001", "branchCode", "001", "accountType", "ORDINARY", "accountNumber", "5555555", "holderName", "ｶｲｻﾞﾝ"));
        posts.put("/bizweb/users/" + theirs.general + "/confirm", Map.of("operation", "LOCK_LOGIN"));
        posts.forEach((path, form) -> assertThat(master.submit(path, form).statusCode()).as(path).isEqualTo(404));
        // Execute steps carry out only what this user confirmed: ids sent with them are not read.
        assertNothingConfirmed(master.submit("/bizweb/payees/execute", Map.of("operation", "DELETE",
                "id", String.valueOf(payee), "version", "0", "otp", "123456")), "/bizweb/payees");
        assertNothingConfirmed(master.submit("/bizweb/approvals/execute", Map.of("id", String.valueOf(request), "version", "0",
                "decision", "APPROVE", "otp", "123456")), "/bizweb/approvals");
        assertNothingConfirmed(master.submit("/bizweb/users/execute", Map.of("operation", "REVOKE_TOKEN",
                "targetId", String.valueOf(theirs.general), "otp", "123456")), "/bizweb/users");
        assertNothingConfirmed(master.submit("/bizweb/transfers/execute", Map.of("id", String.valueOf(request), "version", "0",
                "payeeId", String.valueOf(payee), "amount", "1", "transferDate", today().toString(),
                "approverId", String.valueOf(mine.admin))), "/bizweb/transfers");

        // Their payee cannot be named in my transfer request either.
        String page = master.confirmPage("/bizweb/transfers/confirm", Map.of("payeeId", String.valueOf(payee),
                "amount", "100", "transferDate", today().toString(), "approverId", String.valueOf(theirs.master)));
        assertThat(page).contains("BTRF002", "選択してください。").doesNotContain("ﾖｿﾉ ｶｲｼｬ");

        assertThat(count("SELECT COUNT(*) FROM bizweb_payee WHERE id = " + payee + " AND deleted_at IS NULL AND account_number = '4444444'"))
                .isEqualTo(1);
        assertThat(status(request)).isEqualTo("PENDING");
        assertThat(loginLocked(theirs.general)).isFalse();
        assertThat(tokens.status(PortalTestData.PORTAL, new io.kagi.authority.AccountRef("bizweb-user:" + theirs.general))
                .orElseThrow().state()).isEqualTo(io.kagi.authority.TokenState.ACTIVE);
    }

    @Test
    void aTokenRevokedOrLockedSinceLoginIsRefusedWithTheReasonAndTheWayForward() {
        Company company = new Company("f");
        PortalClient general = company.asGeneral();
        PortalClient admin = company.asAdmin();
        tokens.revoke(PortalTestData.PORTAL, new io.kagi.authority.AccountRef("bizweb-user:" + company.general),
                new io.kagi.authority.ClientInfo("test", "127.0.0.1"));

        assertThat(PortalClient.location(general.get("/bizweb/payees"))).endsWith("/bizweb/refused?function=payees");
        assertThat(general.get("/bizweb/refused?function=payees").body())
                .contains("BERR001", "「振込先管理」はワンタイムパスワード認証が必要", "トークンが失効しています", "再発行の許可が必要です",
                        "/bizweb/token/issue");

        String wrong = "000000".equals(company.adminDevice.codeAt(clock.instant())) ? "000001" : "000000";
        for (int attempt = 0; attempt < 5; attempt++) {
            String page = admin.confirmPage("/bizweb/users/" + company.general + "/confirm", Map.of("operation", "LOCK_LOGIN"));
            HttpResponse<String> response = admin.submit("/bizweb/users/execute", Map.of("operation", "LOCK_LOGIN",
                    "targetId", String.valueOf(company.general), "transactionToken", PortalClient.transactionToken(page),
                    "otp", wrong));
            if (attempt < 4) {
                assertThat(response.body()).contains("ワンタイムパスワードが正しくありません");
            } else {
                assertThat(PortalClient.location(response)).endsWith("/bizweb/refused?function=users");
            }
        }
        assertThat(PortalClient.location(admin.get("/bizweb/approvals"))).endsWith("/bizweb/refused?function=approvals");
        assertThat(admin.get("/bizweb/refused?function=approvals").body())
                .contains("トークンの利用を停止しています", "貴社のマスターユーザまたは管理者ユーザに、トークンのロック解除を依頼してください");
        assertThat(loginLocked(company.general)).isFalse();
    }

    @Test
    void anApproverWhoLosesTheRightCannotApproveAndTheRequesterNamesAnotherOne() {
        Company company = new Company("h");
        jdbc.sql("UPDATE bizweb_user SET approval_right = TRUE WHERE id = :id").param("id", company.admin).update();
        long payee = data.payee(company.master, "7777777", "ｽｽﾞｷ");
        PortalClient general = company.asGeneral();
        String confirm = general.confirmPage("/bizweb/transfers/confirm", Map.of("payeeId", String.valueOf(payee),
                "amount", "3000", "transferDate", today().toString(), "approverId", String.valueOf(company.admin)));
        assertThat(PortalClient.location(general.submit("/bizweb/transfers/execute", Map.of("payeeId", String.valueOf(payee),
                "amount", "3000", "transferDate", today().toString(), "approverId", String.valueOf(company.admin),
                "transactionToken", PortalClient.transactionToken(confirm))))).endsWith("/bizweb/transfers/done");
        long request = count("SELECT MAX(id) FROM bizweb_approval_request WHERE requested_by = " + company.general);

        PortalClient master = company.asMaster();
        String change = master.confirmPage("/bizweb/users/" + company.admin + "/confirm",
                Map.of("operation", "ROLE", "role", "ADMIN"));
        clock.advance(Duration.ofSeconds(60));
        assertThat(master.submit("/bizweb/users/execute", Map.of("transactionToken", PortalClient.transactionToken(change),
                "otp", company.masterDevice.codeAt(clock.instant()))).body()).contains("BUSR004");
        assertForbidden(company.asAdmin().get("/bizweb/approvals/" + request), "承認権限がありません");

        String edit = general.get("/bizweb/transfers/" + request + "/edit").body();
        assertThat(edit).contains("BTRF002", "value=\"3000\"").contains(prefix + "hm1").doesNotContain(prefix + "ha1");
        String again = general.confirmPage("/bizweb/transfers/confirm", Map.of("id", String.valueOf(request), "version", "0",
                "payeeId", String.valueOf(payee), "amount", "3000", "transferDate", today().toString(),
                "approverId", String.valueOf(company.master)));
        assertThat(PortalClient.location(general.submit("/bizweb/transfers/execute", Map.of("id", String.valueOf(request),
                "version", "0", "payeeId", String.valueOf(payee), "amount", "3000", "transferDate", today().toString(),
                "approverId", String.valueOf(company.master), "transactionToken", PortalClient.transactionToken(again)))))
                .endsWith("/bizweb/transfers/done");
        assertThat(count("SELECT approver_id FROM bizweb_approval_request WHERE id = " + request)).isEqualTo(company.master);
        assertThat(master.get("/bizweb/top").body()).contains("承認待ちのお取引：1件");
    }

    @Test
    void theFieldsOfPayeesAndTransferRequestsAreValidatedBesideEachField() {
        Company company = new Company("g");
        PortalClient general = company.asGeneral();
        String page = general.confirmPage("/bizweb/payees/confirm", Map.of("operation", "REGISTER", "bankCode", "12a",
                "branchCode", "1234", "accountType", "OTHER", "accountNumber", "123456", "holderName", "やまだ"));
        assertThat(page).contains("BPAY002", "半角数字4桁で入力してください。", "半角数字3桁で入力してください。",
                "科目を選択してください。", "半角数字7桁で入力してください。", "半角カナで入力してください。");
        page = general.confirmPage("/bizweb/payees/confirm", Map.of("operation", "REGISTER", "bankCode", "0001",
                "branchCode", "001", "accountType", "SAVINGS", "accountNumber", "1234567",
                "holderName", "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏ"));
        assertThat(page).contains("BPAY002", "30文字以内で入力してください。");
        page = general.confirmPage("/bizweb/payees/confirm", Map.of("operation", "REGISTER", "bankCode", "0001",
                "branchCode", "001", "accountType", "SAVINGS", "accountNumber", "1234567", "holderName", "ﾔﾏﾀﾞ(ｶ) ﾀﾛｰ.-/"));
        assertThat(page).contains("BPAY003", "貯蓄");

        long payee = data.payee(company.master, "6666666", "ﾀﾅｶ");
        page = general.confirmPage("/bizweb/transfers/confirm", Map.of("payeeId", String.valueOf(payee), "amount", "0",
                "transferDate", today().minusDays(1).toString(), "approverId", String.valueOf(company.admin)));
        assertThat(page).contains("BTRF002", "金額は1円以上9,999,999,999円以内で入力してください。",
                "本日以降の日付を指定してください。", "選択してください。");
        page = general.confirmPage("/bizweb/transfers/confirm", Map.of("payeeId", String.valueOf(payee), "amount", "1,000",
                "transferDate", "2026/01/01", "approverId", String.valueOf(company.master)));
        assertThat(page).contains("金額は半角数字（円単位）で入力してください。", "日付の形式が正しくありません。");
        page = general.confirmPage("/bizweb/transfers/confirm", Map.of("payeeId", String.valueOf(payee),
                "amount", "9999999999", "transferDate", today().toString(), "approverId", String.valueOf(company.master)));
        assertThat(page).contains("BTRF003", "9,999,999,999円", "ﾀﾅｶ");
    }

    /** The answer to an execute request without a form this user confirmed: back to the list, "already done or expired". */
    private static void assertNothingConfirmed(HttpResponse<String> response, String list) {
        assertThat(PortalClient.location(response)).endsWith(list);
    }

    private static void assertForbidden(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(403);
        assertThat(response.body()).contains("BERR002", reason);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneId.of("Asia/Tokyo")));
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private String status(long request) {
        return jdbc.sql("SELECT status FROM bizweb_approval_request WHERE id = :id").param("id", request)
                .query(String.class).single();
    }

    private boolean loginLocked(long userId) {
        return jdbc.sql("SELECT login_locked_at IS NOT NULL FROM bizweb_user WHERE id = :id").param("id", userId)
                .query(Boolean.class).single();
    }

}
