package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * What the execute step carries out is what the confirm screen showed, held on the server under
 * the form token: fields or a path changed in the request (another company, notice, user, token or
 * mail) change nothing, and a form token works only for its own operator and step.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleTamperedFormIntegrationTests extends ConsoleChangeTestSupport {

    @ParameterizedTest
    @EnumSource(Change.class)
    void theExecuteStepCarriesOutWhatWasConfirmedWhateverTheRequestSays(Change change) {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "tmp" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(console, loginId);
        Prepared prepared = changes.prepare(change, console);
        Map<String, String> form = new LinkedHashMap<>(prepared.tamperedFields());
        form.put("transactionToken", formTokenOf(prepared.confirmPage()));
        form.put("otp", device.codeAt(clock.advance(Duration.ofSeconds(60))));
        form.put("_csrf", csrfOf(prepared.confirmPage()));

        HttpResponse<String> answer = console.post(prepared.tamperedPath(), form);

        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 302);
        assertThat(prepared.changed().getAsLong()).as("the confirmed %s", change).isEqualTo(1);
        assertThat(prepared.tamperedChanged().getAsLong()).as("the %s named by the request", change).isZero();
        assertThat(changes.auditRows(change.auditType, "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void aFormTokenDoesNothingAtAnotherStepOrForAnotherOperator() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "tmp" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(console, loginId);
        Prepared notice = changes.prepare(Change.PUBLISH_NOTICE, console);
        String noticeForm = formTokenOf(notice.confirmPage());

        // The notice's form sent to the company step: nothing is created.
        HttpResponse<String> elsewhere = console.post("/console/companies/new/create", Map.of("transactionToken", noticeForm,
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "name", "株式会社別工程",
                "branchCode", "101", "accountType", "ORDINARY", "accountNumber", "1234567",
                "_csrf", csrfOf(notice.confirmPage())));
        assertThat(location(elsewhere)).endsWith("/console/companies?alreadyDone");
        assertThat(changes.count("SELECT COUNT(*) FROM bizweb_company WHERE name = '株式会社別工程'")).isZero();
        // At its own step it still records what was confirmed (waiting for approval).
        HttpResponse<String> published = console.post("/console/notices/publish", Map.of("transactionToken", noticeForm,
                "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(notice.confirmPage())));
        assertThat(location(published)).endsWith("/console/approvals");
        assertThat(notice.changed().getAsLong()).isEqualTo(1);

        // Another operator presenting this operator's form (e.g. a leaked page): nothing is published.
        ConsoleClient other = new ConsoleClient(url(""));
        String otherId = "tmp" + ConsoleChanges.serial();
        TestTokenDevice otherDevice = changes.supervisor(other, otherId);
        Prepared otherNotice = changes.prepare(Change.PUBLISH_NOTICE, console);
        String otherPage = other.page("/console/notices/new");
        HttpResponse<String> foreign = other.post("/console/notices/publish", Map.of(
                "transactionToken", formTokenOf(otherNotice.confirmPage()),
                "otp", otherDevice.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(otherPage)));
        assertThat(location(foreign)).endsWith("/console/notices?alreadyDone");
        assertThat(otherNotice.changed().getAsLong()).isZero();
        assertThat(changes.auditRows("DOUBLE_SUBMIT_REFUSED", "operator:" + otherId)).isEqualTo(1);
    }
}
