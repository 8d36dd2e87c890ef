package io.kagi.bizweb;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.kagi.authority.Tokens;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The puppet user (docs/security.md T17): one administrator creates a second identity, logs in as
 * it with the initial password they were shown, binds its token to a phone and address of their
 * own, and approves their own transfer with it. Refused, and the master is told of the new user and
 * of its token.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class InsiderAdministratorIntegrationTests {

    private static final Pattern INITIAL_PASSWORD = Pattern.compile("id=\"initial-password\">([^<]+)<");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    @Autowired
    Tokens tokens;

    @Test
    void anAdministratorCannotApproveTheirOwnTransferThroughAUserTheyCreatedAndTheMasterIsTold() {
        PortalTestData data = new PortalTestData(jdbc, passwordEncoder, clock);
        long master = data.masterUser("insider01", "master2024pw", "マスター");
        long admin = data.colleague(master, "insider02", "admin2024pw", "管理者", "ADMIN", true);
        TestTokenDevice adminDevice = PortalTestData.activeToken(tokens, url(""), admin);
        long payee = data.payee(master, "7654321", "ｱｸｲﾁｮｳ");

        // The administrator adds a second identity with the approval right and is shown its initial password.
        PortalClient asAdmin = new PortalClient(url("")).logInWithOtp("insider02", "admin2024pw", adminDevice, clock);
        String confirm = asAdmin.confirmPage("/bizweb/users/new", Map.of("loginId", "puppet01", "displayName", "傀儡",
                "mailAddress", "puppet@evil.example", "role", "ADMIN", "approvalRight", "true"));
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> added = asAdmin.submit("/bizweb/users/execute", Map.of(
                "transactionToken", PortalClient.transactionToken(confirm), "otp", adminDevice.codeAt(clock.instant())));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        String initialPassword = PortalClient.first(INITIAL_PASSWORD, added.body());
        long puppet = jdbc.sql("SELECT id FROM bizweb_user WHERE login_id = 'puppet01'").query(Long.class).single();

        // Logs in as the puppet, sets its password and binds its token to their own phone.
        PortalClient asPuppet = new PortalClient(url(""));
        assertThat(PortalClient.location(asPuppet.logIn("puppet01", initialPassword))).endsWith("/bizweb/password");
        String change = asPuppet.get("/bizweb/password").body();
        assertThat(PortalClient.location(asPuppet.submit("/bizweb/password", Map.of(
                "transactionToken", PortalClient.transactionToken(change), "currentPassword", initialPassword,
                "newPassword", "puppet2024pw", "newPasswordConfirmation", "puppet2024pw"))))
                .endsWith("/bizweb/token/issue");
        String issue = asPuppet.get("/bizweb/token/issue").body();
        assertThat(PortalClient.location(asPuppet.submit("/bizweb/token/issue", Map.of(
                "transactionToken", PortalClient.transactionToken(issue), "mailAddress", "puppet@evil.example",
                "mailAddressConfirmation", "puppet@evil.example", "activationPassword", "1357",
                "activationPasswordConfirmation", "1357")))).endsWith("/bizweb/token/confirm");
        String userId = jdbc.sql("""
                        SELECT user_id FROM authority_account WHERE account_ref = :ref""")
                .param("ref", "bizweb-user:" + puppet).query(String.class).single();
        TestTokenDevice puppetDevice = TestTokenDevice.activate(url(""), PortalTestData.PORTAL.digits(), userId, "1357");
        clock.advance(Duration.ofSeconds(60));
        String elg017 = asPuppet.get("/bizweb/token/confirm").body();
        assertThat(PortalClient.location(asPuppet.submit("/bizweb/token/confirm", Map.of(
                "transactionToken", PortalClient.transactionToken(elg017), "otp", puppetDevice.codeAt(clock.instant())))))
                .endsWith("/bizweb/top");

        // The administrator's own transfer: the puppet is not offered as its approver, nor can it approve it.
        assertThat(asAdmin.get("/bizweb/transfers/new").body()).contains("insider01", "マスター").doesNotContain("傀儡");
        long transfer = data.transferRequest(admin, puppet, payee, 9_999_999_999L);
        String approval = asPuppet.get("/bizweb/approvals/" + transfer).body();
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> approved = asPuppet.submit("/bizweb/approvals/execute", Map.of(
                "transactionToken", approval.contains("name=\"transactionToken\"") ? PortalClient.transactionToken(approval) : "none",
                "id", String.valueOf(transfer), "version", "0", "decision", "APPROVE",
                "otp", puppetDevice.codeAt(clock.instant())));

        assertThat(approved.statusCode() == 302 ? PortalClient.location(approved) : "").doesNotEndWith("/bizweb/approvals/done");
        assertThat(jdbc.sql("SELECT status FROM bizweb_approval_request WHERE id = :id").param("id", transfer)
                .query(String.class).single()).isEqualTo("PENDING");

        // Someone else was told: the master, of the new user and of its token.
        List<String> toMaster = jdbc.sql("SELECT body FROM mail_outbox WHERE recipient = 'insider01@example.jp' ORDER BY id")
                .query(String.class).list();
        assertThat(String.join("\n", toMaster)).contains("puppet01", "管理者（ログインID：insider02）", "承認権限あり",
                "トークンが発行されました");
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
