package io.kagi.bizweb;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every confirm → execute step of the portal takes effect exactly once and exactly as confirmed:
 * six submissions of one confirmed form at the same moment make one change and one audit row, the
 * others are told it was already done; an execute request with other fields than the confirm
 * screen showed carries out what was confirmed; and a failure after the change (the audit insert
 * refused by the database) leaves neither the change nor its audit row.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class PortalConfirmStepsIntegrationTests extends PortalTestSupport {

    private static final int PARALLEL = 6;
    @Override
    String prefixLetter() {
        return "c";
    }
    long master;
    long approver;
    long general;
    TestTokenDevice masterDevice;
    TestTokenDevice approverDevice;
    final List<String> injectedFaults = new ArrayList<>();

    @BeforeEach
    void setUp() {
        master = data.masterUser(prefix + "m1", "master2024pw", "マスター");
        approver = data.colleague(master, prefix + "a1", "admin2024pw", "承認者", "ADMIN", true);
        general = data.colleague(master, prefix + "g1", "general2024", "一般", "GENERAL", false);
        masterDevice = PortalTestData.activeToken(tokens, url(""), master);
        approverDevice = PortalTestData.activeToken(tokens, url(""), approver);
    }

    @AfterEach
    void removeInjectedFaults() {
        injectedFaults.forEach(name -> jdbc.sql("ALTER TABLE audit_event DROP CONSTRAINT " + name).update());
    }

    // --- 振込先管理 (BPAY003 → BPAY004)

    @Test
    void sixParallelSubmissionsOfOneConfirmedPayeeRegisterOnePayeeWithOneAuditRow() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/payees/confirm", payee("3334445", "ﾍｲﾚﾂｼﾖｳｼﾞ"));
        String code = freshCode(masterDevice);

        List<HttpResponse<String>> answers = atOnce(() -> portal.submit("/bizweb/payees/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "otp", code)));

        assertThat(payeesWithAccount("3334445")).isEqualTo(1);
        assertThat(auditRows("PAYEE_REGISTERED")).isEqualTo(1);
        assertExactlyOneDoneAndTheRestAlreadyDone(answers, "/bizweb/payees/done", "/bizweb/payees");
    }

    @Test
    void aPayeeExecuteRequestWithOtherFieldsRegistersWhatWasConfirmed() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/payees/confirm", payee("3334445", "ｶｸﾆﾝｽﾞﾐ"));
        Map<String, String> tampered = new HashMap<>(payee("9998887", "ﾆｾﾓﾉ"));
        tampered.put("transactionToken", PortalClient.transactionToken(page));
        tampered.put("otp", freshCode(masterDevice));

        assertThat(PortalClient.location(portal.submit("/bizweb/payees/execute", tampered))).endsWith("/bizweb/payees/done");

        assertThat(payeesWithAccount("3334445")).isEqualTo(1);
        assertThat(payeesWithAccount("9998887")).isZero();
    }

    @Test
    void aPayeeWhoseAuditRowFailsIsNotRegistered() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/payees/confirm", payee("5556667", "ｷｴﾙｼﾖｳｼﾞ"));
        refuseAuditRows("PAYEE_REGISTERED");

        HttpResponse<String> answer = portal.submit("/bizweb/payees/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "otp", freshCode(masterDevice)));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(payeesWithAccount("5556667")).isZero();
        assertThat(auditRows("PAYEE_REGISTERED")).isZero();
    }

    @Test
    void aWrongCodeShowsTheConfirmScreenAgainWithANewFormThatStillCarriesOutTheConfirmedChange() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/payees/confirm", payee("4445556", "ﾏﾁｶﾞｲ"));
        String token = PortalClient.transactionToken(page);

        HttpResponse<String> wrong = portal.submit("/bizweb/payees/execute", Map.of("transactionToken", token, "otp", "000000"));

        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("BPAY003").contains("4445556");
        String again = PortalClient.transactionToken(wrong.body());
        assertThat(again).isNotEqualTo(token);
        assertThat(PortalClient.location(portal.submit("/bizweb/payees/execute",
                Map.of("transactionToken", again, "otp", freshCode(masterDevice))))).endsWith("/bizweb/payees/done");
        assertThat(payeesWithAccount("4445556")).isEqualTo(1);
    }

    // --- 振込依頼 (BTRF003 → BTRF004)

    @Test
    void sixParallelSubmissionsOfOneConfirmedTransferRequestMakeOneRequestWithOneAuditRow() {
        long payee = data.payee(master, "2223334", "ﾌﾘｺﾐｻｷ");
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/transfers/confirm", transfer(payee, "123456"));

        List<HttpResponse<String>> answers = atOnce(() -> portal.submit("/bizweb/transfers/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page))));

        assertThat(transfersOfAmount(123456)).isEqualTo(1);
        assertThat(auditRows("TRANSFER_REQUESTED")).isEqualTo(1);
        assertExactlyOneDoneAndTheRestAlreadyDone(answers, "/bizweb/transfers/done", "/bizweb/transfers");
    }

    @Test
    void aTransferExecuteRequestWithAnotherAmountRequestsTheConfirmedAmount() {
        long payee = data.payee(master, "2223335", "ﾎﾝﾓﾉ");
        long otherPayee = data.payee(master, "9990001", "ﾆｾﾓﾉ");
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/transfers/confirm", transfer(payee, "1000"));
        Map<String, String> tampered = new HashMap<>(transfer(otherPayee, "9999999999"));
        tampered.put("transactionToken", PortalClient.transactionToken(page));

        assertThat(PortalClient.location(portal.submit("/bizweb/transfers/execute", tampered))).endsWith("/bizweb/transfers/done");

        assertThat(transfersOfAmount(1000)).isEqualTo(1);
        assertThat(transfersOfAmount(9999999999L)).isZero();
        assertThat(jdbc.sql("SELECT account_number FROM bizweb_approval_request WHERE amount = 1000 AND company_id = :company")
                .param("company", data.companyOf(master)).query(String.class).single()).isEqualTo("2223335");
    }

    @Test
    void aTransferRequestWhoseAuditRowFailsIsNotMade() {
        long payee = data.payee(master, "2223336", "ｷｴﾙ");
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/transfers/confirm", transfer(payee, "4321"));
        refuseAuditRows("TRANSFER_REQUESTED");

        HttpResponse<String> answer = portal.submit("/bizweb/transfers/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page)));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(transfersOfAmount(4321)).isZero();
        assertThat(auditRows("TRANSFER_REQUESTED")).isZero();
    }

    // --- 承認 (BAPR002 → BAPR003)

    @Test
    void sixParallelApprovalsOfOneConfirmedRequestApproveItOnceWithOneAuditRow() {
        long payee = data.payee(master, "3334441", "ｼｮｳﾆﾝ");
        long request = data.transferRequest(general, approver, payee, 777);
        PortalClient portal = asApprover();
        String page = portal.get("/bizweb/approvals/" + request).body();
        String code = freshCode(approverDevice);

        List<HttpResponse<String>> answers = atOnce(() -> portal.submit("/bizweb/approvals/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "id", String.valueOf(request),
                        "decision", "APPROVE", "otp", code)));

        assertThat(statusOf(request)).isEqualTo("APPROVED");
        assertThat(auditRows("TRANSFER_APPROVED")).isEqualTo(1);
        assertExactlyOneDoneAndTheRestAlreadyDone(answers, "/bizweb/approvals/done", "/bizweb/approvals");
    }

    @Test
    void anApprovalSentForAnotherRequestApprovesOnlyTheConfirmedOne() {
        long payee = data.payee(master, "3334442", "ｼｮｳﾆﾝ");
        long shown = data.transferRequest(general, approver, payee, 100);
        long other = data.transferRequest(general, approver, payee, 9_999_999);
        PortalClient portal = asApprover();
        String page = portal.get("/bizweb/approvals/" + shown).body();

        assertThat(PortalClient.location(portal.submit("/bizweb/approvals/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "id", String.valueOf(other),
                        "version", "0", "decision", "APPROVE", "otp", freshCode(approverDevice)))))
                .endsWith("/bizweb/approvals/done");

        assertThat(statusOf(shown)).isEqualTo("APPROVED");
        assertThat(statusOf(other)).isEqualTo("PENDING");
    }

    @Test
    void anApprovalWhoseAuditRowFailsLeavesTheRequestPending() {
        long payee = data.payee(master, "3334443", "ｼｮｳﾆﾝ");
        long request = data.transferRequest(general, approver, payee, 555);
        PortalClient portal = asApprover();
        String page = portal.get("/bizweb/approvals/" + request).body();
        refuseAuditRows("TRANSFER_APPROVED");

        HttpResponse<String> answer = portal.submit("/bizweb/approvals/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "id", String.valueOf(request),
                        "decision", "APPROVE", "otp", freshCode(approverDevice)));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(statusOf(request)).isEqualTo("PENDING");
        assertThat(auditRows("TRANSFER_APPROVED")).isZero();
    }

    // --- 利用者管理 (BUSR003 → BUSR004)

    @Test
    void sixParallelSubmissionsOfOneConfirmedNewUserAddOneUserWithOneAuditRow() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/users/new", newUser(prefix + "new1"));
        String code = freshCode(masterDevice);

        List<HttpResponse<String>> answers = atOnce(() -> portal.submit("/bizweb/users/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "otp", code)));

        assertThat(usersWithLogin(prefix + "new1")).isEqualTo(1);
        assertThat(auditRows("USER_ADD")).isEqualTo(1);
        assertThat(answers.stream().filter(answer -> answer.statusCode() == 200 && answer.body().contains("BUSR004")))
                .hasSize(1);
        assertThat(answers.stream().filter(answer -> answer.statusCode() == 302
                && PortalClient.location(answer).endsWith("/bizweb/users"))).hasSize(PARALLEL - 1);
        assertThat(portal.get("/bizweb/users").body()).contains("この操作はすでに受け付けたか");
    }

    @Test
    void aUserExecuteRequestWithOtherFieldsAddsTheConfirmedUser() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/users/new", newUser(prefix + "new2"));
        Map<String, String> tampered = new HashMap<>(newUser(prefix + "zzz9"));
        tampered.put("role", "MASTER");
        tampered.put("operation", "ADD");
        tampered.put("transactionToken", PortalClient.transactionToken(page));
        tampered.put("otp", freshCode(masterDevice));

        assertThat(portal.submit("/bizweb/users/execute", tampered).body()).contains("BUSR004");

        assertThat(usersWithLogin(prefix + "new2")).isEqualTo(1);
        assertThat(usersWithLogin(prefix + "zzz9")).isZero();
        assertThat(jdbc.sql("SELECT role FROM bizweb_user WHERE login_id = :login").param("login", prefix + "new2")
                .query(String.class).single()).isEqualTo("GENERAL");
    }

    @Test
    void aLoginLockWhoseAuditRowFailsIsNotMade() {
        PortalClient portal = asMaster();
        String page = portal.confirmPage("/bizweb/users/" + general + "/confirm", Map.of("operation", "LOCK_LOGIN"));
        refuseAuditRows("USER_LOCK_LOGIN");

        HttpResponse<String> answer = portal.submit("/bizweb/users/execute",
                Map.of("transactionToken", PortalClient.transactionToken(page), "otp", freshCode(masterDevice)));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(jdbc.sql("SELECT login_locked_at FROM bizweb_user WHERE id = :id").param("id", general)
                .query(java.time.OffsetDateTime.class).optional()).isEmpty();
        assertThat(auditRows("USER_LOCK_LOGIN")).isZero();
    }

    // --- トークン発行 (ELG016)

    @Test
    void sixParallelSubmissionsOfOneIssuanceFormIssueOneTokenAndSendOneMail() {
        PortalClient portal = new PortalClient(url(""));
        assertThat(PortalClient.location(portal.logIn(prefix + "g1", "general2024"))).endsWith("/bizweb/token/issue");
        String page = portal.get("/bizweb/token/issue").body();
        String mail = prefix + "@example.jp";

        List<HttpResponse<String>> answers = atOnce(() -> portal.submit("/bizweb/token/issue",
                Map.of("transactionToken", PortalClient.transactionToken(page), "mailAddress", mail,
                        "mailAddressConfirmation", mail, "activationPassword", "1234",
                        "activationPasswordConfirmation", "1234")));

        assertThat(jdbc.sql("SELECT COUNT(*) FROM authority_token WHERE mail_address = :mail").param("mail", mail)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient = :mail").param("mail", mail)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'TOKEN_ISSUE_REQUESTED' AND actor = :login")
                .param("login", prefix + "g1").query(Integer.class).single()).isEqualTo(1);
        assertThat(answers).allSatisfy(answer -> assertThat(PortalClient.location(answer)).endsWith("/bizweb/token/confirm"));
    }

    @Test
    void anIssuanceWhoseAuditRowFailsIssuesNoTokenAndSendsNoMail() {
        PortalClient portal = new PortalClient(url(""));
        assertThat(PortalClient.location(portal.logIn(prefix + "g1", "general2024"))).endsWith("/bizweb/token/issue");
        String page = portal.get("/bizweb/token/issue").body();
        String mail = prefix + "f@example.jp";
        refuseAuditRows("TOKEN_ISSUE_REQUESTED");

        HttpResponse<String> answer = portal.submit("/bizweb/token/issue",
                Map.of("transactionToken", PortalClient.transactionToken(page), "mailAddress", mail,
                        "mailAddressConfirmation", mail, "activationPassword", "1234",
                        "activationPasswordConfirmation", "1234"));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM authority_token WHERE mail_address = :mail").param("mail", mail)
                .query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mail_outbox WHERE recipient = :mail").param("mail", mail)
                .query(Integer.class).single()).isZero();
    }

    // --- BPWD001 and the login lock

    @Test
    void anInitialPasswordChangeWhoseAuditRowFailsKeepsTheInitialPassword() {
        jdbc.sql("UPDATE bizweb_user SET password_must_change = TRUE WHERE id = :id").param("id", general).update();
        PortalClient portal = new PortalClient(url(""));
        assertThat(PortalClient.location(portal.logIn(prefix + "g1", "general2024"))).endsWith("/bizweb/password");
        String page = portal.get("/bizweb/password").body();
        refuseAuditRows("PASSWORD_CHANGED");

        HttpResponse<String> answer = portal.submit("/bizweb/password", Map.of("transactionToken",
                PortalClient.transactionToken(page), "currentPassword", "general2024",
                "newPassword", "Ginza-sky-2026", "newPasswordConfirmation", "Ginza-sky-2026"));

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(jdbc.sql("SELECT password_must_change FROM bizweb_user WHERE id = :id").param("id", general)
                .query(Boolean.class).single()).isTrue();
        assertThat(PortalClient.location(new PortalClient(url("")).logIn(prefix + "g1", "general2024")))
                .endsWith("/bizweb/password");
    }

    @Test
    void aLoginLockWhoseAuditRowFailsIsNotMadeAndTheCountStaysExact() {
        refuseAuditRows("LOGIN_LOCKED");
        for (int i = 1; i <= 4; i++) {
            assertThat(PortalClient.location(new PortalClient(url("")).logIn(prefix + "g1", "wrong-" + i + "-2026")))
                    .endsWith("/bizweb/login?error");
        }
        assertThat(new PortalClient(url("")).logIn(prefix + "g1", "wrong-5-2026").statusCode()).isEqualTo(500);

        assertThat(jdbc.sql("SELECT login_locked_at FROM bizweb_user WHERE id = :id").param("id", general)
                .query(java.time.OffsetDateTime.class).optional()).isEmpty();
        assertThat(jdbc.sql("SELECT failed_login_count FROM bizweb_user WHERE id = :id").param("id", general)
                .query(Integer.class).single()).isEqualTo(4);
    }

    // --- helpers

    private PortalClient asMaster() {
        return new PortalClient(url("")).logInWithOtp(prefix + "m1", "master2024pw", masterDevice, clock);
    }

    private PortalClient asApprover() {
        return new PortalClient(url("")).logInWithOtp(prefix + "a1", "admin2024pw", approverDevice, clock);
    }

    private Map<String, String> transfer(long payeeId, String amount) {
        return Map.of("payeeId", String.valueOf(payeeId), "amount", amount, "transferDate", today().toString(),
                "approverId", String.valueOf(approver));
    }

    private static Map<String, String> newUser(String loginId) {
        return Map.of("loginId", loginId, "displayName", "新人", "mailAddress", loginId + "@example.jp", "role", "GENERAL");
    }

    private int transfersOfAmount(long amount) {
        return jdbc.sql("SELECT COUNT(*) FROM bizweb_approval_request WHERE amount = :amount AND company_id = :company")
                .param("amount", amount).param("company", data.companyOf(master)).query(Integer.class).single();
    }

    private String statusOf(long request) {
        return jdbc.sql("SELECT status FROM bizweb_approval_request WHERE id = :id").param("id", request)
                .query(String.class).single();
    }

    private int usersWithLogin(String loginId) {
        return jdbc.sql("SELECT COUNT(*) FROM bizweb_user WHERE login_id = :login").param("login", loginId)
                .query(Integer.class).single();
    }

    private static Map<String, String> payee(String accountNumber, String holder) {
        return Map.of("operation", "REGISTER", "bankCode", "0001", "branchCode", "001", "accountType", "ORDINARY",
                "accountNumber", accountNumber, "holderName", holder);
    }

    private String freshCode(TestTokenDevice device) {
        clock.advance(Duration.ofSeconds(60));
        return device.codeAt(clock.instant());
    }

    /** Sends {@code request} {@value #PARALLEL} times at the same moment. */
    private static List<HttpResponse<String>> atOnce(Supplier<HttpResponse<String>> request) {
        ExecutorService threads = Executors.newFixedThreadPool(PARALLEL);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return request.get();
                }));
            }
            start.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            threads.shutdownNow();
        }
    }

    /** One answer leads to the done page; every other one back to the list with the "already done" message. */
    private static void assertExactlyOneDoneAndTheRestAlreadyDone(List<HttpResponse<String>> answers, String done,
                                                                  String list) {
        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(302));
        List<String> locations = answers.stream().map(PortalClient::location).toList();
        assertThat(locations.stream().filter(location -> location.endsWith(done))).hasSize(1);
        assertThat(locations.stream().filter(location -> location.endsWith(list))).hasSize(PARALLEL - 1);
    }

    /**
     * Makes the database refuse this company's audit rows of {@code type}: the failure comes after the
     * change, in its transaction.
     */
    private void refuseAuditRows(String type) {
        String name = "test_refuse_" + prefix.replaceAll("[^a-z0-9]", "") + "_" + injectedFaults.size();
        jdbc.sql("ALTER TABLE audit_event ADD CONSTRAINT " + name + " CHECK (type <> '" + type
                + "' OR company_id IS NULL OR company_id <> " + data.companyOf(master) + ")").update();
        injectedFaults.add(name);
    }

    private int payeesWithAccount(String accountNumber) {
        return jdbc.sql("SELECT COUNT(*) FROM bizweb_payee p JOIN bizweb_user u ON u.company_id = p.company_id "
                        + "WHERE u.id = :master AND p.account_number = :number AND p.deleted_at IS NULL")
                .param("master", master).param("number", accountNumber).query(Integer.class).single();
    }

    private int auditRows(String type) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = :type AND company_id = :company")
                .param("type", type).param("company", data.companyOf(master)).query(Integer.class).single();
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneId.of("Asia/Tokyo")));
    }

}
