package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.csrfOf;
import static io.kagi.console.ConsoleClient.formTokenOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input and a world that changed between the confirm screen and the execute step: the form
 * shows a field error, and nothing is half done (no row, no audit row of the change).
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleChangedMeanwhileIntegrationTests extends ConsoleChangeTestSupport {

    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    @Test
    void aNoticeEndingBeforeNowIsAFieldErrorAndNoConfirmScreen() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "chg" + ConsoleChanges.serial();
        changes.supervisor(console, loginId);
        String form = console.page("/console/notices/new");

        HttpResponse<String> answer = console.submit("/console/notices/confirm", form, Map.of("title", "過去に終わるお知らせ",
                "body", "本文", "publishFrom", "", "publishUntil", typed(clock.instant().minusSeconds(3600))));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("CNTC002", "掲載終了は掲載開始より後にしてください。", "過去に終わるお知らせ");
        assertThat(heldForms(loginId)).isZero();
    }

    @Test
    void aNoticeWhoseEndPassedWhileItsConfirmScreenWasOpenIsNotPublished() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "chg" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(console, loginId);
        String confirm = ok(console.submit("/console/notices/confirm", console.page("/console/notices/new"), Map.of(
                "title", "すぐ終わるお知らせ", "body", "本文", "publishFrom", "",
                "publishUntil", typed(clock.instant().plus(Duration.ofMinutes(3))))));
        assertThat(confirm).contains("CNTC003");

        clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> answer = console.post("/console/notices/publish", Map.of("transactionToken", formTokenOf(confirm),
                "otp", device.codeAt(clock.instant()), "_csrf", csrfOf(confirm)));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("CNTC002", "掲載終了は掲載開始より後にしてください。", "すぐ終わるお知らせ");
        assertThat(changes.count("SELECT COUNT(*) FROM bizweb_notice WHERE title = 'すぐ終わるお知らせ'")).isZero();
        assertThat(changes.auditRows("NOTICE_PUBLISHED", "operator:" + loginId)).isZero();
    }

    @Test
    void aCompanyWhoseAccountWasRegisteredMeanwhileIsAFieldErrorWithTheFormAsConfirmed() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "chg" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(console, loginId);
        String number = String.valueOf(ConsoleChanges.serial());
        Map<String, String> company = Map.of("name", "株式会社先着" + number, "branchCode", "301", "accountType", "ORDINARY",
                "accountNumber", number);
        String first = ok(console.submit("/console/companies/new/confirm", console.page("/console/companies/new"), company));
        String second = ok(console.submit("/console/companies/new/confirm", console.page("/console/companies/new"),
                Map.of("name", "株式会社後着" + number, "branchCode", "301", "accountType", "ORDINARY", "accountNumber", number)));

        HttpResponse<String> created = console.post("/console/companies/new/create", Map.of("transactionToken",
                formTokenOf(first), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(first)));
        HttpResponse<String> taken = console.post("/console/companies/new/create", Map.of("transactionToken",
                formTokenOf(second), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(second)));

        assertThat(created.body()).contains("CCMP004");
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(taken.body()).contains("CCMP002", "この代表口座の契約先はすでに登録されています。", "株式会社後着" + number);
        assertThat(changes.count("SELECT COUNT(*) FROM bizweb_company WHERE account_number = ?", number)).isEqualTo(1);
        assertThat(changes.auditRows("COMPANY_CREATED", "operator:" + loginId)).isEqualTo(1);
    }

    private long heldForms(String loginId) {
        long operatorId = changes.count("SELECT id FROM console_operator WHERE login_id = ?", loginId);
        return changes.count("SELECT COUNT(*) FROM one_time_form WHERE owner = ? AND step = 'notice-publish'",
                "console:" + operatorId);
    }

    private static String ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String typed(java.time.Instant instant) {
        return LocalDateTime.ofInstant(instant, JAPAN).truncatedTo(ChronoUnit.MINUTES).toString();
    }
}
