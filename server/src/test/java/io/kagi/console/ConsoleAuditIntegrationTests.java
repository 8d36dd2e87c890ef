package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.ZoneOffset;

import io.kagi.platform.BankTime;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CAUD001 in words: each event type in Japanese (English with {@code ?lang=en}), a type without words
 * as recorded, times in the bank's time zone; and the CSV export of the current filter for Excel.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleAuditIntegrationTests extends ConsoleChangeTestSupport {

    @Autowired
    BankTime bankTime;

    @Test
    void theAuditLogNamesEventsInJapaneseOrEnglishWithTheRawTypeForANewOneAndTimesInBankTime() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "au" + ConsoleChanges.serial();
        changes.supervisor(console, loginId);
        String subject = "probe:" + ConsoleChanges.serial();
        event("SOMETHING_NEW_HAPPENED", subject, "plain");

        String ja = console.page("/console/audit?person=operator:" + loginId);
        assertThat(ja).contains("運用者ログイン").doesNotContain(">OPERATOR_LOGIN_SUCCEEDED<");
        assertThat(console.page("/console/audit?person=operator:" + loginId + "&lang=en")).contains("Operator logged in");
        String raw = console.page("/console/audit?person=" + subject);
        assertThat(raw).contains(">SOMETHING_NEW_HAPPENED<", bankTime.seconds(clock.instant()).substring(0, 16));
    }

    @Test
    void theCsvExportHasAByteOrderMarkQuotesAsRfc4180SaysDefusesFormulasAndKeepsTheFilter() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "ac" + ConsoleChanges.serial();
        changes.supervisor(console, loginId);
        String subject = "=csv" + ConsoleChanges.serial();
        event("SERVICE_POLICY_CHANGED", subject, "digits=6 -> 8, \"quoted\"\nsecond line");
        event("SOMETHING_ELSE", subject + "x", "other");

        HttpResponse<String> csv = console.get("/console/audit.csv?type=SERVICE_POLICY_CHANGED&person=" + subject);

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv").contains("UTF-8");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment", ".csv");
        String body = csv.body();
        assertThat(body).startsWith("\uFEFF\"日時\",\"種類\",\"種類コード\",\"操作者\",");
        assertThat(body.split("\r\n", -1)).hasSize(3);
        assertThat(body).contains("\"" + bankTime.seconds(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        + "\",\"トークンの方式を変更\",\"SERVICE_POLICY_CHANGED\",\"test\",\"\",\"'" + subject + "\"",
                "\"digits=6 -> 8, \"\"quoted\"\"\nsecond line\"\r\n").doesNotContain("SOMETHING_ELSE");
    }

    private void event(String type, String subject, String details) {
        jdbc.sql("""
                        INSERT INTO audit_event (occurred_at, type, actor, subject, client_address, details)
                        VALUES (:now, :type, 'test', :subject, '127.0.0.1', :details)""")
                .param("now", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC))
                .param("type", type).param("subject", subject).param("details", details).update();
    }
}
