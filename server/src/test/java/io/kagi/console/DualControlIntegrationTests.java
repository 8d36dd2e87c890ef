package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kagi.console.ConsoleChanges.Change;
import io.kagi.console.ConsoleChanges.Prepared;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.csrfOf;
import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dual control (issue 19, and the issue 17 finding that one operator alone published notices): a
 * sensitive change confirmed by its maker takes effect only when a second supervisor approves it with
 * their own fresh code; the maker can never approve it; each step is in the audit log with its actor.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class DualControlIntegrationTests extends ConsoleChangeTestSupport {

    @Test
    void aNoticeAnOperatorPublishesIsShownOnlyAfterASupervisorApprovesItAndBothStepsAreAudited() {
        ConsoleClient maker = new ConsoleClient(url(""));
        String makerId = "mk" + ConsoleChanges.serial();
        TestTokenDevice makerDevice = operator(maker, makerId, "OPERATOR");
        String title = "承認が必要なお知らせ" + ConsoleChanges.serial();

        long change = proposeNotice(maker, makerDevice, title);

        assertThat(published(title)).isZero();
        assertThat(maker.page("/console/approvals")).contains("CAPR001", title, "operator:" + makerId);
        assertThat(changes.auditRows("CHANGE_PROPOSED", "operator:" + makerId)).isEqualTo(1);

        String approverId = "ap" + ConsoleChanges.serial();
        ConsoleClient approver = changes.secondSupervisor(approverId);
        HttpResponse<String> approved = changes.decide(approver, changes.deviceOf(approverId), change, "approve");

        assertThat(location(approved)).endsWith("/console/approvals");
        assertThat(published(title)).isEqualTo(1);
        assertThat(changes.auditRows("CHANGE_APPROVED", "operator:" + approverId)).isEqualTo(1);
        assertThat(changes.auditRows("NOTICE_PUBLISHED", "operator:" + approverId)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'CHANGE_APPROVED' AND subject = ?",
                "change:" + change)).isEqualTo(1);
        assertThat(state(change)).isEqualTo("APPROVED");
    }

    @Test
    void aMakerCanNeverApproveOrRejectTheirOwnChange() {
        ConsoleClient maker = new ConsoleClient(url(""));
        String makerId = "own" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(maker, makerId);
        String title = "自分で承認できないお知らせ" + ConsoleChanges.serial();
        long change = proposeNotice(maker, device, title);

        assertThat(maker.page("/console/approvals")).contains(title).doesNotContain("/approvals/" + change + "/approve");
        for (String verdict : List.of("approve", "reject")) {
            assertThat(location(maker.get("/console/approvals/" + change + "/" + verdict))).endsWith("/console/approvals");
        }
        assertThat(maker.page("/console/approvals")).contains("ご自身が登録した変更は承認・否認できません");
        // Even with a decision form of another verdict (withdraw) in hand, the execute step takes only that verdict.
        assertThat(published(title)).isZero();
        assertThat(state(change)).isEqualTo("WAITING");
        assertThat(changes.auditRows("CHANGE_APPROVED", "operator:" + makerId)).isZero();
    }

    @Test
    void aWithdrawnOrRejectedChangeNeverTakesEffectAndOnlyItsMakerWithdraws() {
        ConsoleClient maker = new ConsoleClient(url(""));
        String makerId = "wd" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(maker, makerId);
        String withdrawnTitle = "取り下げるお知らせ" + ConsoleChanges.serial();
        String rejectedTitle = "否認されるお知らせ" + ConsoleChanges.serial();
        long withdrawn = proposeNotice(maker, device, withdrawnTitle);
        long rejected = proposeNotice(maker, device, rejectedTitle);
        String otherId = "rj" + ConsoleChanges.serial();
        ConsoleClient other = changes.secondSupervisor(otherId);

        assertThat(location(other.get("/console/approvals/" + withdrawn + "/withdraw"))).endsWith("/console/approvals");
        assertThat(location(changes.decide(maker, device, withdrawn, "withdraw"))).endsWith("/console/approvals");
        assertThat(location(changes.decide(other, changes.deviceOf(otherId), rejected, "reject"))).endsWith("/console/approvals");
        // Approving either now finds it decided.
        assertThat(location(other.get("/console/approvals/" + withdrawn + "/approve"))).endsWith("/console/approvals");

        assertThat(state(withdrawn)).isEqualTo("WITHDRAWN");
        assertThat(state(rejected)).isEqualTo("REJECTED");
        assertThat(published(withdrawnTitle) + published(rejectedTitle)).isZero();
        assertThat(changes.auditRows("CHANGE_WITHDRAWN", "operator:" + makerId)).isEqualTo(1);
        assertThat(changes.auditRows("CHANGE_REJECTED", "operator:" + otherId)).isEqualTo(1);
    }

    @Test
    void parallelApprovalsOfOneChangeTakeEffectOnce() throws Exception {
        ConsoleClient maker = new ConsoleClient(url(""));
        TestTokenDevice device = changes.supervisor(maker, "par" + ConsoleChanges.serial());
        String title = "同時に承認されるお知らせ" + ConsoleChanges.serial();
        long change = proposeNotice(maker, device, title);
        int approvers = 4;
        List<ConsoleClient> clients = new ArrayList<>();
        List<Map<String, String>> forms = new ArrayList<>();
        for (int i = 0; i < approvers; i++) {
            String approverId = "pa" + ConsoleChanges.serial();
            ConsoleClient approver = changes.secondSupervisor(approverId);
            String page = approver.page("/console/approvals/" + change + "/approve");
            clients.add(approver);
            forms.add(new java.util.HashMap<>(Map.of("transactionToken", formTokenOf(page), "_csrf", csrfOf(page),
                    "approver", approverId)));
        }
        // Each approver's fresh code of their own token, all of one moment.
        clock.advance(Duration.ofSeconds(60));
        for (Map<String, String> form : forms) {
            form.put("otp", changes.deviceOf(form.remove("approver")).codeAt(clock.instant()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(approvers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < approvers; i++) {
                ConsoleClient approver = clients.get(i);
                Map<String, String> form = forms.get(i);
                answers.add(pool.submit(() -> {
                    go.await(60, TimeUnit.SECONDS);
                    return approver.post("/console/approvals/" + change + "/approve", form);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(120, TimeUnit.SECONDS).statusCode()).isLessThan(500);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(published(title)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'CHANGE_APPROVED' AND subject = ?",
                "change:" + change)).isEqualTo(1);
        assertThat(state(change)).isEqualTo("APPROVED");
    }

    @Test
    void revokingATokenWaitsForASecondSupervisor() {
        ConsoleClient maker = new ConsoleClient(url(""));
        String makerId = "rv" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(maker, makerId);
        Prepared revoke = changes.prepare(Change.REVOKE_TOKEN, maker);
        HttpResponse<String> made = maker.post(revoke.executePath(), Map.of("transactionToken",
                formTokenOf(revoke.confirmPage()), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60))),
                "_csrf", csrfOf(revoke.confirmPage())));
        assertThat(location(made)).contains("/console/users");
        long change = changes.latestChange("token-action", makerId);
        assertThat(revoke.changed().getAsLong()).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'TOKEN_REVOKED' AND actor = ?",
                "operator:" + makerId)).isZero();

        String approverId = "rva" + ConsoleChanges.serial();
        ConsoleClient approver = changes.secondSupervisor(approverId);
        assertThat(location(changes.decide(approver, changes.deviceOf(approverId), change, "approve")))
                .endsWith("/console/approvals");

        assertThat(revoke.changed().getAsLong()).as("no longer waiting").isZero();
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'TOKEN_REVOKED' AND actor = ?",
                "operator:" + approverId)).isEqualTo(1);
    }

    @Test
    void aSupervisorIsAddedOnlyWhenASecondSupervisorApprovesWhoThenSeesTheTemporaryPasswordOnce() {
        ConsoleClient maker = new ConsoleClient(url(""));
        String makerId = "as" + ConsoleChanges.serial();
        TestTokenDevice device = changes.supervisor(maker, makerId);
        String approverId = "asa" + ConsoleChanges.serial();
        ConsoleClient approver = changes.secondSupervisor(approverId);
        String newcomer = "newsv" + ConsoleChanges.serial();
        String confirm = maker.submit("/console/operators/new/confirm", maker.page("/console/operators/new"), Map.of(
                "loginId", newcomer, "displayName", "新任 責任者", "mailAddress", newcomer + "@bank.example.jp",
                "role", "SUPERVISOR")).body();
        assertThat(confirm).contains("COPR003", newcomer);
        assertThat(location(maker.submit("/console/operators/new/add", confirm, Map.of("transactionToken",
                formTokenOf(confirm), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60)))))))
                .endsWith("/console/approvals");
        assertThat(changes.count("SELECT COUNT(*) FROM console_operator WHERE login_id = ?", newcomer)).isZero();

        HttpResponse<String> approved = changes.decide(approver, changes.deviceOf(approverId),
                changes.latestChange("supervisor-add", makerId), "approve");

        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(approved.body()).contains("COPR004", "temporary-password");
        assertThat(changes.count("""
                SELECT COUNT(*) FROM console_operator WHERE login_id = ? AND role = 'SUPERVISOR' AND password_must_change = TRUE""",
                newcomer)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'OPERATOR_CREATED' AND actor = ?",
                "operator:" + approverId)).isEqualTo(1);
    }

    /** The maker writes a notice and confirms it with a fresh code; returns the waiting change. */
    private long proposeNotice(ConsoleClient maker, TestTokenDevice device, String title) {
        String confirm = maker.submit("/console/notices/confirm", maker.page("/console/notices/new"), Map.of(
                "title", title, "body", "本文", "publishFrom", "", "publishUntil", "")).body();
        HttpResponse<String> made = maker.submit("/console/notices/publish", confirm, Map.of(
                "transactionToken", formTokenOf(confirm), "otp", device.codeAt(clock.advance(Duration.ofSeconds(60)))));
        assertThat(location(made)).endsWith("/console/approvals");
        return changes.count("SELECT MAX(id) FROM console_pending_change WHERE kind = 'notice-publish' AND operation LIKE ?",
                "%" + title + "%");
    }

    private TestTokenDevice operator(ConsoleClient console, String loginId, String role) {
        long id = data.operator(loginId, "console-pass-" + loginId, role);
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), id);
        console.logInWithOtp(loginId, "console-pass-" + loginId, device, clock);
        return device;
    }

    private long published(String title) {
        return changes.count("SELECT COUNT(*) FROM bizweb_notice WHERE title = ?", title);
    }

    private String state(long change) {
        return jdbc.sql("SELECT state FROM console_pending_change WHERE id = :id").param("id", change)
                .query(String.class).single();
    }
}
