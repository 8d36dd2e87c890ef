package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators' life (issue 19): a supervisor adds an operator, resets a password, unlocks and
 * disables; a temporary password must be replaced at the next login; a disabled operator's login is
 * refused exactly like a wrong password; every operator changes their own password with the current
 * one; an auditor only reads.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class OperatorLifeCycleIntegrationTests extends ConsoleChangeTestSupport {

    private static final Pattern TEMPORARY = Pattern.compile("id=\"temporary-password\">([^<]+)<");

    @Test
    void anAddedOperatorMustReplaceTheTemporaryPasswordBeforeAnythingElse() {
        ConsoleClient supervisor = new ConsoleClient(url(""));
        String supervisorId = "lc" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(supervisor, supervisorId);
        String loginId = "newop" + ConsoleChanges.serial();
        String confirm = supervisor.submit("/console/operators/new/confirm", supervisor.page("/console/operators/new"),
                Map.of("loginId", loginId, "displayName", "新任 運用者", "mailAddress", loginId + "@bank.example.jp",
                        "role", "OPERATOR")).body();
        HttpResponse<String> added = supervisor.submit("/console/operators/new/add", confirm, Map.of(
                "transactionToken", formTokenOf(confirm), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60)))));
        assertThat(added.body()).contains("COPR004");
        String temporary = temporaryPassword(added.body());

        ConsoleClient newcomer = new ConsoleClient(url(""));
        TestTokenDevice newcomerDevice = ConsoleTestData.operatorToken(tokens, url(""), idOf(loginId));
        newcomer.logInWithOtp(loginId, temporary, newcomerDevice, clock);
        assertThat(location(newcomer.get("/console/notices"))).endsWith("/console/password");
        String form = newcomer.page("/console/password");
        assertThat(form).contains("CPWD001", "仮パスワードでログインしています");

        HttpResponse<String> weak = newcomer.submit("/console/password", form, Map.of("transactionToken", formTokenOf(form),
                "currentPassword", temporary, "newPassword", "password", "newPasswordConfirmation", "password"));
        assertThat(weak.body()).contains("よく使われるパスワード");
        HttpResponse<String> changed = newcomer.submit("/console/password", weak.body(), Map.of(
                "transactionToken", formTokenOf(weak.body()), "currentPassword", temporary,
                "newPassword", "Kasumi-gaseki-2026", "newPasswordConfirmation", "Kasumi-gaseki-2026"));
        assertThat(location(changed)).endsWith("/console");
        assertThat(newcomer.page("/console/notices")).contains("CNTC001");
        assertThat(location(new ConsoleClient(url("")).logIn(loginId, temporary))).endsWith("/console/login?error");
        assertThat(location(new ConsoleClient(url("")).logIn(loginId, "Kasumi-gaseki-2026"))).endsWith("/console/otp");
        assertThat(changes.auditRows("OPERATOR_CREATED", "operator:" + supervisorId)).isEqualTo(1);
    }

    @Test
    void aResetPasswordMustBeChangedAndTheOldOneNoLongerWorks() {
        ConsoleClient supervisor = new ConsoleClient(url(""));
        TestTokenDevice device = changes.supervisor(supervisor, "rs" + ConsoleChanges.serial());
        String loginId = "reset" + ConsoleChanges.serial();
        long id = data.operator(loginId, "Old-pass-of-" + loginId, "OPERATOR");

        HttpResponse<String> reset = act(supervisor, device, id, "RESET_PASSWORD");

        assertThat(reset.body()).contains("COPR004", loginId);
        String temporary = temporaryPassword(reset.body());
        assertThat(location(new ConsoleClient(url("")).logIn(loginId, "Old-pass-of-" + loginId))).endsWith("/console/login?error");
        ConsoleClient operator = new ConsoleClient(url(""));
        operator.logInWithOtp(loginId, temporary, ConsoleTestData.operatorToken(tokens, url(""), id), clock);
        assertThat(location(operator.get("/console"))).endsWith("/console/password");
    }

    @Test
    void aSupervisorUnlocksALockedOperator() {
        ConsoleClient supervisor = new ConsoleClient(url(""));
        TestTokenDevice device = changes.supervisor(supervisor, "ul" + ConsoleChanges.serial());
        String loginId = "locked" + ConsoleChanges.serial();
        long id = data.operator(loginId, "Right-pass-2026", "OPERATOR");
        for (int i = 1; i <= 5; i++) {
            new ConsoleClient(url("")).logIn(loginId, "wrong-" + i + "-2026");
        }
        assertThat(location(new ConsoleClient(url("")).logIn(loginId, "Right-pass-2026"))).endsWith("/console/login?locked");

        assertThat(location(act(supervisor, device, id, "UNLOCK"))).endsWith("/console/operators");

        assertThat(location(new ConsoleClient(url("")).logIn(loginId, "Right-pass-2026"))).endsWith("/console/token/issue");
    }

    @Test
    void aDisabledOperatorIsRefusedLikeAWrongPasswordAndTheirOpenSessionEnds() {
        ConsoleClient supervisor = new ConsoleClient(url(""));
        TestTokenDevice device = changes.supervisor(supervisor, "ds" + ConsoleChanges.serial());
        String loginId = "leaving" + ConsoleChanges.serial();
        long id = data.operator(loginId, "Right-pass-2026", "OPERATOR");
        ConsoleClient open = new ConsoleClient(url(""));
        open.logInWithOtp(loginId, "Right-pass-2026", ConsoleTestData.operatorToken(tokens, url(""), id), clock);
        assertThat(open.page("/console")).contains("CTOP001");

        assertThat(location(act(supervisor, device, id, "DISABLE"))).endsWith("/console/operators");

        String rightPassword = location(new ConsoleClient(url("")).logIn(loginId, "Right-pass-2026"));
        String wrongPassword = location(new ConsoleClient(url("")).logIn(loginId, "Wrong-pass-2026"));
        String unknown = location(new ConsoleClient(url("")).logIn("nobody" + ConsoleChanges.serial(), "Right-pass-2026"));
        assertThat(rightPassword).isEqualTo(wrongPassword).isEqualTo(unknown).endsWith("/console/login?error");
        assertThat(location(open.get("/console"))).endsWith("/console/login");
        assertThat(location(open.get("/console"))).endsWith("/console/login");
    }

    @Test
    void everyOperatorChangesTheirOwnPasswordOnlyWithTheCurrentOne() {
        ConsoleClient auditor = new ConsoleClient(url(""));
        String loginId = "aud" + ConsoleChanges.serial();
        long id = data.operator(loginId, "Auditor-pass-2026", "AUDITOR");
        auditor.logInWithOtp(loginId, "Auditor-pass-2026", ConsoleTestData.operatorToken(tokens, url(""), id), clock);
        String form = auditor.page("/console/password");

        HttpResponse<String> wrong = auditor.submit("/console/password", form, Map.of("transactionToken", formTokenOf(form),
                "currentPassword", "Not-my-pass-2026", "newPassword", "Shiny-new-pass-2026",
                "newPasswordConfirmation", "Shiny-new-pass-2026"));
        assertThat(wrong.body()).contains("現在のパスワードが正しくありません");
        HttpResponse<String> changed = auditor.submit("/console/password", wrong.body(), Map.of(
                "transactionToken", formTokenOf(wrong.body()), "currentPassword", "Auditor-pass-2026",
                "newPassword", "Shiny-new-pass-2026", "newPasswordConfirmation", "Shiny-new-pass-2026"));

        assertThat(location(changed)).endsWith("/console");
        assertThat(location(new ConsoleClient(url("")).logIn(loginId, "Shiny-new-pass-2026"))).endsWith("/console/otp");
        assertThat(changes.auditRows("OPERATOR_PASSWORD_CHANGED", "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void anAuditorReadsEveryPageButIsRefusedEveryChange() {
        ConsoleClient auditor = new ConsoleClient(url(""));
        String loginId = "audr" + ConsoleChanges.serial();
        long id = data.operator(loginId, "Auditor-pass-2026", "AUDITOR");
        auditor.logInWithOtp(loginId, "Auditor-pass-2026", ConsoleTestData.operatorToken(tokens, url(""), id), clock);
        for (String page : List.of("/console", "/console/companies", "/console/notices", "/console/users", "/console/audit",
                "/console/mail", "/console/approvals", "/console/operators")) {
            assertThat(auditor.get(page).statusCode()).as(page).isEqualTo(200);
        }
        long mail = data.failedMail("audited@example.jp");
        for (String page : List.of("/console/notices/new", "/console/notices/1/withdraw", "/console/mail/" + mail + "/retry",
                "/console/approvals/1/approve", "/console/companies/new", "/console/operators/new",
                "/console/operators/action?operator=1&action=DISABLE", "/console/users/action?action=UNLOCK_LOGIN&user=1")) {
            assertThat(auditor.get(page).statusCode()).as(page).isEqualTo(403);
        }
        String top = auditor.page("/console");
        for (String change : List.of("/console/notices/confirm", "/console/notices/publish", "/console/notices/1/withdraw",
                "/console/mail/" + mail + "/retry", "/console/approvals/1/approve", "/console/companies/new/create",
                "/console/operators/new/add", "/console/operators/action", "/console/users/action")) {
            assertThat(auditor.submit(change, top, Map.of("otp", "123456", "transactionToken", "x")).statusCode())
                    .as(change).isEqualTo(403);
        }
    }

    /** The supervisor confirms {@code action} on operator {@code id} with a fresh code. */
    private HttpResponse<String> act(ConsoleClient supervisor, TestTokenDevice device, long id, String action) {
        String confirm = supervisor.page("/console/operators/action?operator=" + id + "&action=" + action);
        assertThat(confirm).contains("COPR005");
        return supervisor.submit("/console/operators/action", confirm, Map.of("transactionToken", formTokenOf(confirm),
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60)))));
    }

    private long idOf(String loginId) {
        return changes.count("SELECT id FROM console_operator WHERE login_id = ?", loginId);
    }

    private static String temporaryPassword(String page) {
        Matcher matcher = TEMPORARY.matcher(page);
        assertThat(matcher.find()).as(page).isTrue();
        return matcher.group(1);
    }
}
