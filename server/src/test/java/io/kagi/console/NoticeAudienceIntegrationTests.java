package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.kagi.bizweb.PortalClient;
import io.kagi.bizweb.PortalTestData;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * お知らせ per company and in English (issue 19): a notice for one company reaches only that company's
 * users, a notice without one reaches everybody; a user whose language is English reads the English
 * text where one was written and the Japanese text where none was. Both facts go through the confirm
 * screen, the waiting change, the supervisor's approval and the audit row.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class NoticeAudienceIntegrationTests extends ConsoleChangeTestSupport {

    @Test
    void usersSeeTheirCompanysNoticesAndEveryonesInTheirLanguageWithJapaneseWhereNoEnglishWasWritten() {
        int serial = ConsoleChanges.serial();
        long userOfA = data.masterUser("na" + serial, "portal-pass-a1");
        long userOfB = data.masterUser("nb" + serial, "portal-pass-b1");
        long companyA = companyOf(userOfA);
        TestTokenDevice deviceOfA = PortalTestData.activeToken(tokens, url(""), userOfA);
        TestTokenDevice deviceOfB = PortalTestData.activeToken(tokens, url(""), userOfB);

        ConsoleClient maker = new ConsoleClient(url(""));
        String makerId = "nm" + serial;
        TestTokenDevice makerDevice = changes.supervisor(maker, makerId);
        String approverId = "np" + serial;
        ConsoleClient approver = changes.secondSupervisor(approverId);

        String forA = "A社向けのお知らせ" + serial;
        String confirmForA = confirm(maker, Map.of("title", forA, "body", "A社だけの本文", "titleEn", "For A " + serial,
                "bodyEn", "Only for company A", "companyId", String.valueOf(companyA)));
        assertThat(confirmForA).contains("CNTC003", "株式会社検証na" + serial + " (" + companyA + ")", "For A " + serial,
                "Only for company A");
        long changeForA = propose(maker, makerDevice, confirmForA);
        assertThat(changes.waiting("notice-publish", "\"companyId\":" + companyA, "For A " + serial)).isEqualTo(1);
        assertThat(approver.page("/console/approvals")).contains("株式会社検証na" + serial, "For A " + serial);

        String forEveryone = "全企業向けのお知らせ" + serial;
        long changeForEveryone = propose(maker, makerDevice, confirm(maker, Map.of("title", forEveryone,
                "body", "全企業の本文", "titleEn", "For everyone " + serial, "bodyEn", "For every company", "companyId", "")));
        String japaneseOnly = "日本語だけのお知らせ" + serial;
        long changeJapaneseOnly = propose(maker, makerDevice, confirm(maker, Map.of("title", japaneseOnly,
                "body", "英語のない本文", "titleEn", "", "bodyEn", "", "companyId", "")));
        assertThat(changes.count("SELECT COUNT(*) FROM console_pending_change WHERE id = ? AND operation LIKE ?"
                + " AND operation NOT LIKE '%\"companyId\":%' AND operation NOT LIKE '%\"titleEn\":\"%'",
                changeJapaneseOnly, "%" + japaneseOnly + "%")).isEqualTo(1);

        for (long change : new long[] {changeForA, changeForEveryone, changeJapaneseOnly}) {
            assertThat(location(changes.decide(approver, changes.deviceOf(approverId), change, "approve")))
                    .endsWith("/console/approvals");
        }
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'NOTICE_PUBLISHED' AND actor = ?"
                + " AND company_id = ?", "operator:" + approverId, companyA)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'NOTICE_PUBLISHED' AND actor = ?"
                + " AND company_id IS NULL", "operator:" + approverId)).isEqualTo(2);
        assertThat(maker.page("/console/notices")).contains("株式会社検証na" + serial + " (" + companyA + ")", "全企業");

        PortalClient portalOfA = new PortalClient(url("")).logInWithOtp("na" + serial, "portal-pass-a1", deviceOfA, clock);
        assertThat(portalOfA.get("/bizweb/top").body()).contains(forA, "A社だけの本文", forEveryone, japaneseOnly)
                .doesNotContain("For A " + serial, "For everyone " + serial);
        assertThat(portalOfA.get("/bizweb/top?lang=en").body())
                .contains("For A " + serial, "Only for company A", "For everyone " + serial, japaneseOnly, "英語のない本文")
                .doesNotContain(forA, forEveryone);

        PortalClient portalOfB = new PortalClient(url("")).logInWithOtp("nb" + serial, "portal-pass-b1", deviceOfB, clock);
        assertThat(portalOfB.get("/bizweb/top").body()).contains(forEveryone, japaneseOnly).doesNotContain(forA);
        assertThat(portalOfB.get("/bizweb/top?lang=en").body()).contains("For everyone " + serial, japaneseOnly)
                .doesNotContain(forA, "For A " + serial, "Only for company A");
    }

    @Test
    void anUnknownCompanyAndHalfAnEnglishTextAreFieldErrorsAndNothingWaits() {
        ConsoleClient maker = new ConsoleClient(url(""));
        changes.supervisor(maker, "ne" + ConsoleChanges.serial());
        String title = "誤った対象のお知らせ" + ConsoleChanges.serial();

        HttpResponse<String> answer = maker.submit("/console/notices/confirm", maker.page("/console/notices/new"),
                Map.of("title", title, "body", "本文", "titleEn", "Only a title", "bodyEn", "", "companyId", "999999999",
                        "publishFrom", "", "publishUntil", ""));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("CNTC002", "id=\"companyId-error\"", "この企業IDの企業は登録されていません。",
                "id=\"bodyEn-error\"").doesNotContain("CNTC003", "id=\"titleEn-error\"");
        HttpResponse<String> tooLong = maker.submit("/console/notices/confirm", maker.page("/console/notices/new"),
                Map.of("title", title, "body", "本文", "titleEn", "x".repeat(201), "bodyEn", "Text", "companyId", "12ab",
                        "publishFrom", "", "publishUntil", ""));
        assertThat(tooLong.body()).contains("id=\"titleEn-error\"", "200文字以内", "id=\"companyId-error\"")
                .doesNotContain("CNTC003");
        assertThat(changes.waiting("notice-publish", title, "")).isZero();
    }

    private String confirm(ConsoleClient maker, Map<String, String> fields) {
        Map<String, String> form = new java.util.HashMap<>(fields);
        form.put("publishFrom", "");
        form.put("publishUntil", "");
        HttpResponse<String> confirm = maker.submit("/console/notices/confirm", maker.page("/console/notices/new"), form);
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("CNTC003");
        return confirm.body();
    }

    private long propose(ConsoleClient maker, TestTokenDevice device, String confirmPage) {
        HttpResponse<String> made = maker.submit("/console/notices/publish", confirmPage, Map.of(
                "transactionToken", formTokenOf(confirmPage), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60)))));
        assertThat(location(made)).endsWith("/console/approvals");
        return changes.count("SELECT MAX(id) FROM console_pending_change WHERE kind = 'notice-publish'");
    }

    private long companyOf(long userId) {
        return changes.count("SELECT company_id FROM bizweb_user WHERE id = ?", userId);
    }
}
