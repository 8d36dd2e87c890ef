package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kagi.console.ConsoleChanges.Change;
import io.kagi.console.ConsoleChanges.Prepared;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.csrfOf;
import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A confirmed form sent several times at the same moment (a double click, an impatient user, a
 * retrying proxy), from one session, with one valid fresh code, each over real HTTP: exactly one
 * submission takes effect and writes its audit row; the others are answered "already done" — not
 * an error, not "wrong code", and without counting a failed attempt of the operator's token.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleDoubleSubmitIntegrationTests extends ConsoleChangeTestSupport {

    private static final int SUBMISSIONS = 6;
    private static final String ALREADY_DONE = "この操作は受付済みです";

    ExecutorService submitters;

    @BeforeEach
    void startSubmitters() {
        submitters = Executors.newFixedThreadPool(SUBMISSIONS);
    }

    @AfterEach
    void tearDown() {
        submitters.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(Change.class)
    void parallelSubmissionsOfOneConfirmedChangeTakeEffectOnce(Change change) throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "dbl" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(console, loginId);
        Prepared prepared = changes.prepare(change, console);
        assertThat(prepared.changed().getAsLong()).isZero();
        Map<String, String> form = Map.of("transactionToken", formTokenOf(prepared.confirmPage()),
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(prepared.confirmPage()));

        List<HttpResponse<String>> answers = allAtOnce(() -> console.post(prepared.executePath(), form));

        assertThat(prepared.changed().getAsLong()).isEqualTo(1);
        assertThat(changes.auditRows(change.auditType, "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("DOUBLE_SUBMIT_REFUSED", "operator:" + loginId)).isEqualTo(SUBMISSIONS - 1);
        assertThat(changes.auditRows("OTP_REJECTED", "operator:" + loginId)).isZero();
        if (change == Change.CREATE_COMPANY || change == Change.ADD_OPERATOR) {
            assertThat(answers).filteredOn(answer -> answer.statusCode() == 200).singleElement()
                    .satisfies(answer -> assertThat(answer.body()).contains(change == Change.CREATE_COMPANY ? "CCMP004" : "COPR"));
        } else {
            assertThat(answers).filteredOn(answer -> !location(answer).endsWith(alreadyDone(change))).singleElement()
                    .satisfies(answer -> assertThat(location(answer)).contains(change == Change.PUBLISH_NOTICE
                            ? "/console/approvals" : listOf(change)));
        }
        assertThat(answers).filteredOn(answer -> answer.statusCode() == 302 && location(answer).endsWith(alreadyDone(change)))
                .hasSize(SUBMISSIONS - 1);
        assertThat(answers).noneSatisfy(answer -> assertThat(answer.body()).contains("ワンタイムパスワードが正しくありません"));

        // Sent once more, the answer says plainly that it was done already.
        HttpResponse<String> again = console.post(prepared.executePath(), form);
        assertThat(location(again)).endsWith(alreadyDone(change));
        assertThat(console.page(alreadyDone(change))).contains(ALREADY_DONE);
        assertThat(prepared.changed().getAsLong()).isEqualTo(1);
    }

    @Test
    void parallelSubmissionsOfTheLoginCodeLogInOnceAndCountNoFailedAttempt() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "dblotp" + ConsoleChanges.serial();
        long operatorId = data.operator(loginId, "console-pass-otp", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        assertThat(location(console.logIn(loginId, "console-pass-otp"))).endsWith("/console/otp");
        String page = console.page("/console/otp");
        Map<String, String> form = Map.of("transactionToken", formTokenOf(page),
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(page));

        List<HttpResponse<String>> answers = allAtOnce(() -> console.post("/console/otp", form));

        assertThat(changes.auditRows("OPERATOR_LOGIN_OTP_ACCEPTED", "operator:" + loginId)).isEqualTo(1);
        // A submission arriving once the session has its factor (or a renewed ID) is answered before it
        // reaches the form; the others find the form taken.
        assertThat(changes.auditRows("DOUBLE_SUBMIT_REFUSED", "operator:" + loginId)).isLessThanOrEqualTo(SUBMISSIONS - 1);
        assertThat(changes.auditRows("OTP_REJECTED", "operator:" + loginId)).isZero();
        assertThat(consecutiveFailures(operatorId)).isZero();
        // One answer (or more, when a submission came after the login) opens the console; the others go
        // back to the code's page, or, sent with the session ID that the login renewed, are refused as
        // an expired page.
        assertThat(answers).anySatisfy(answer -> assertThat(location(answer)).endsWith("/console"));
        assertThat(answers).allSatisfy(answer -> assertThat(answer).satisfiesAnyOf(
                redirect -> assertThat(location(redirect)).matches(".*/console(/otp\\?alreadyDone|/login)?$"),
                expired -> assertThat(expired.body()).contains("画面の有効期限が切れています")));
    }

    @Test
    void parallelSubmissionsOfTheTokenIssuanceIssueOneToken() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "dbliss" + ConsoleChanges.serial();
        long operatorId = data.operator(loginId, "console-pass-iss", "SUPERVISOR");
        assertThat(location(console.logIn(loginId, "console-pass-iss"))).endsWith("/console/token/issue");
        String page = console.page("/console/token/issue");
        Map<String, String> form = Map.of("transactionToken", formTokenOf(page), "activationPassword", "2468",
                "activationPasswordConfirmation", "2468", "_csrf", csrfOf(page));

        List<HttpResponse<String>> answers = allAtOnce(() -> console.post("/console/token/issue", form));

        assertThat(changes.count("""
                SELECT COUNT(*) FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                WHERE a.account_ref = ?""", "console-operator:" + operatorId)).isEqualTo(1);
        assertThat(changes.auditRows("TOKEN_ISSUED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("DOUBLE_SUBMIT_REFUSED", "operator:" + loginId)).isEqualTo(SUBMISSIONS - 1);
        assertThat(changes.count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = ?", loginId + "@bank.example.jp"))
                .isEqualTo(1);
        assertThat(answers).filteredOn(answer -> location(answer).endsWith("/console/token/confirm")).hasSize(1);
        assertThat(answers).filteredOn(answer -> location(answer).endsWith("/console/token/confirm?alreadyDone"))
                .hasSize(SUBMISSIONS - 1);
        assertThat(console.page("/console/token/confirm")).contains("CLGI004");
    }

    @Test
    void parallelSubmissionsOfTheTokenConfirmationConfirmOnce() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "dblcnf" + ConsoleChanges.serial();
        long operatorId = data.operator(loginId, "console-pass-cnf", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        assertThat(location(console.logIn(loginId, "console-pass-cnf"))).endsWith("/console/otp");
        String page = console.page("/console/token/confirm");
        Map<String, String> form = Map.of("transactionToken", formTokenOf(page),
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(page));

        List<HttpResponse<String>> answers = allAtOnce(() -> console.post("/console/token/confirm", form));

        assertThat(changes.auditRows("OPERATOR_TOKEN_CONFIRMED", "operator:" + loginId)).isEqualTo(1);
        // A submission arriving once the session has its factor (or a renewed ID) is answered before it
        // reaches the form; the others find the form taken.
        assertThat(changes.auditRows("DOUBLE_SUBMIT_REFUSED", "operator:" + loginId)).isLessThanOrEqualTo(SUBMISSIONS - 1);
        assertThat(changes.auditRows("OTP_REJECTED", "operator:" + loginId)).isZero();
        assertThat(consecutiveFailures(operatorId)).isZero();
        assertThat(answers).anySatisfy(answer -> assertThat(location(answer)).endsWith("/console"));
        assertThat(answers).allSatisfy(answer -> assertThat(answer).satisfiesAnyOf(
                redirect -> assertThat(location(redirect)).matches(".*/console(/token/confirm\\?alreadyDone|/login)?$"),
                expired -> assertThat(expired.body()).contains("画面の有効期限が切れています")));
    }

    private static String alreadyDone(Change change) {
        return listOf(change) + "?alreadyDone";
    }

    private static String listOf(Change change) {
        return switch (change) {
            case CREATE_COMPANY -> "/console/companies";
            case PUBLISH_NOTICE, WITHDRAW_NOTICE -> "/console/notices";
            case UNLOCK_LOGIN, UNLOCK_TOKEN, REVOKE_TOKEN -> "/console/users";
            case RETRY_MAIL -> "/console/mail";
            case REGISTER_SERVICE -> "/console/services";
            case ADD_OPERATOR -> "/console/operators";
        };
    }

    /** Sends {@link #SUBMISSIONS} requests released together; waits generously for all answers. */
    private List<HttpResponse<String>> allAtOnce(Callable<HttpResponse<String>> submission) throws Exception {
        CountDownLatch ready = new CountDownLatch(SUBMISSIONS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < SUBMISSIONS; i++) {
            futures.add(submitters.submit(() -> {
                ready.countDown();
                assertThat(go.await(60, TimeUnit.SECONDS)).isTrue();
                return submission.call();
            }));
        }
        assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            answers.add(future.get(120, TimeUnit.SECONDS));
        }
        assertThat(answers).as("no answer is a server error").allSatisfy(answer -> assertThat(answer.statusCode()).isLessThan(500));
        return answers;
    }

    private long consecutiveFailures(long operatorId) {
        return changes.count("""
                SELECT MAX(t.consecutive_failures) FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                WHERE a.account_ref = ?""", "console-operator:" + operatorId);
    }
}
