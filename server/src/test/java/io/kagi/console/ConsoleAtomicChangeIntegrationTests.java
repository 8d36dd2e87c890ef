package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.kagi.console.ConsoleChanges.Change;
import io.kagi.console.ConsoleChanges.Prepared;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.csrfOf;
import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change and its audit row commit together or not at all: when writing the audit row fails
 * (injected with a CHECK constraint that refuses this operator's row of the change's type), the
 * change is not there either; and since the use of the form rolled back too, the same form goes
 * through once the failure is gone.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleAtomicChangeIntegrationTests extends ConsoleChangeTestSupport {

    @ParameterizedTest
    @EnumSource(Change.class)
    void aChangeWhoseAuditRowFailsIsNotMadeAndItsFormGoesThroughAfterwards(Change change) {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "atm" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(console, loginId);
        Prepared prepared = changes.prepare(change, console);
        String formToken = formTokenOf(prepared.confirmPage());
        String csrf = csrfOf(prepared.confirmPage());

        HttpResponse<String> failed = whileRefusing(change.auditType, loginId, () -> console.post(prepared.executePath(),
                Map.of("transactionToken", formToken, "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))),
                        "_csrf", csrf)));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(prepared.changed().getAsLong()).as("the %s", change).isZero();
        assertThat(changes.auditRows(change.auditType, "operator:" + loginId)).isZero();

        HttpResponse<String> again = console.post(prepared.executePath(), Map.of("transactionToken", formToken,
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrf));
        assertThat(again.statusCode()).isIn(200, 302);
        assertThat(prepared.changed().getAsLong()).isEqualTo(1);
        assertThat(changes.auditRows(change.auditType, "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void aLoginCodeWhoseAuditRowFailsGivesNoOtpFactor() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "atmotp" + ConsoleChanges.serial();
        long operatorId = data.operator(loginId, "console-pass-atm", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        assertThat(location(console.logIn(loginId, "console-pass-atm"))).endsWith("/console/otp");
        String page = console.page("/console/otp");

        HttpResponse<String> failed = whileRefusing("OPERATOR_LOGIN_OTP_ACCEPTED", loginId, () -> console.post("/console/otp",
                Map.of("transactionToken", formTokenOf(page), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))),
                        "_csrf", csrfOf(page))));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(location(console.get("/console"))).endsWith("/console/otp");
        assertThat(changes.auditRows("OTP_ACCEPTED", "operator:" + loginId)).isZero();
        HttpResponse<String> again = console.post("/console/otp", Map.of("transactionToken", formTokenOf(page),
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(page)));
        assertThat(location(again)).endsWith("/console");
        assertThat(changes.auditRows("OPERATOR_LOGIN_OTP_ACCEPTED", "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void aTokenIssuanceWhoseAuditRowFailsIssuesNothingAndSendsNoMail() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "atmiss" + ConsoleChanges.serial();
        long operatorId = data.operator(loginId, "console-pass-iss", "SUPERVISOR");
        assertThat(location(console.logIn(loginId, "console-pass-iss"))).endsWith("/console/token/issue");
        String page = console.page("/console/token/issue");
        Map<String, String> form = Map.of("transactionToken", formTokenOf(page), "activationPassword", "1357",
                "activationPasswordConfirmation", "1357", "_csrf", csrfOf(page));

        HttpResponse<String> failed = whileRefusing("TOKEN_ISSUED", loginId, () -> console.post("/console/token/issue", form));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(issuedTokens(operatorId)).isZero();
        assertThat(changes.count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = ?", loginId + "@bank.example.jp")).isZero();
        assertThat(location(console.post("/console/token/issue", form))).endsWith("/console/token/confirm");
        assertThat(issuedTokens(operatorId)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = ?", loginId + "@bank.example.jp"))
                .isEqualTo(1);
    }

    @Test
    void aTokenConfirmationWhoseAuditRowFailsGivesNoOtpFactor() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "atmcnf" + ConsoleChanges.serial();
        long operatorId = data.operator(loginId, "console-pass-cnf", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        assertThat(location(console.logIn(loginId, "console-pass-cnf"))).endsWith("/console/otp");
        String page = console.page("/console/token/confirm");

        HttpResponse<String> failed = whileRefusing("OPERATOR_TOKEN_CONFIRMED", loginId, () -> console.post(
                "/console/token/confirm", Map.of("transactionToken", formTokenOf(page),
                        "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(page))));

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(location(console.get("/console"))).endsWith("/console/otp");
        assertThat(changes.auditRows("OPERATOR_TOKEN_CONFIRMED", "operator:" + loginId)).isZero();
    }

    /** Sends {@code request} while the database refuses audit rows of {@code type} for this operator. */
    private HttpResponse<String> whileRefusing(String type, String loginId,
                                               java.util.function.Supplier<HttpResponse<String>> request) {
        String constraint = "test_refuse_" + ConsoleChanges.serial();
        jdbc.sql("ALTER TABLE audit_event ADD CONSTRAINT " + constraint + " CHECK (type <> '" + type
                + "' OR actor <> 'operator:" + loginId + "')").update();
        try {
            return request.get();
        } finally {
            jdbc.sql("ALTER TABLE audit_event DROP CONSTRAINT " + constraint).update();
        }
    }

    private long issuedTokens(long operatorId) {
        return changes.count("""
                SELECT COUNT(*) FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                WHERE a.account_ref = ?""", "console-operator:" + operatorId);
    }
}
