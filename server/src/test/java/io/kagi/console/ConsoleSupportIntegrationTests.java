package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.platform.FormLogin;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Support work in the console over real HTTP: a user's detail page (CUSR003), a new
 * 仮ログインパスワード for a company whose first use is locked (CCMP005 → CCMP006 → CCMP007), renaming
 * a company, and suspending it so that its users' logins are refused as locked until it is resumed.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleSupportIntegrationTests extends ConsoleChangeTestSupport {

    private static final Pattern TEMPORARY = Pattern.compile("id=\"temporary-password\">([^<]+)<");

    @Test
    void aUsersDetailPageShowsTheLoginLockTheMailAddressAndTheTokensState() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "sd" + ConsoleChanges.serial();
        changes.supervisor(console, loginId);
        String master = "dm" + ConsoleChanges.serial();
        long userId = data.masterUser(master, "detail2024pw");
        jdbc.sql("UPDATE bizweb_user SET login_locked_at = :now WHERE id = :id")
                .param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC)).param("id", userId).update();

        String page = console.page("/console/users/" + userId);

        assertThat(page).contains("CUSR003", master, master + "@example.jp", "からロック中", "未発行");
        assertThat(console.page("/console/users?loginId=" + master)).contains("/console/users/" + userId);
        assertThat(console.get("/console/users/999999999").statusCode()).isEqualTo(404);
    }

    @Test
    void aNewTemporaryPasswordReplacesALockedFirstUseAndIsShownOnceAndAuditedWithoutIt() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "sp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        long company = firstUseLockedCompany();
        assertThat(console.page("/console/companies/" + company)).contains("CCMP005", "停止中", "new-first-use-password");

        String confirm = ok(console.submit("/console/companies/" + company + "/change/confirm",
                console.page("/console/companies/" + company), Map.of("action", "NEW_FIRST_USE_PASSWORD")));
        assertThat(confirm).contains("CCMP006", "仮ログインパスワードの再発行");
        String done = ok(execute(console, operator, company, confirm));
        Matcher shown = TEMPORARY.matcher(done);
        assertThat(shown.find()).as(done).isTrue();
        String password = shown.group(1);

        assertThat(done).contains("CCMP007");
        String hash = jdbc.sql("SELECT temporary_password_hash FROM bizweb_company WHERE id = :id").param("id", company)
                .query(String.class).single();
        assertThat(passwordEncoder.matches(password, hash)).isTrue();
        assertThat(changes.count("SELECT COUNT(*) FROM bizweb_company WHERE id = ? AND first_use_locked_at IS NULL"
                + " AND first_use_failed_count = 0", company)).isEqualTo(1);
        assertThat(changes.auditRows("FIRST_USE_PASSWORD_REISSUED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE details LIKE ?", "%" + password + "%")).isZero();
        assertThat(console.page("/console/companies/" + company)).doesNotContain(password);
    }

    @Test
    void aCompanysNameIsChangedWithAFieldErrorForABlankNameAndAChangeConfirmedAgainstAnOldNameIsNotCarriedOut() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "sn" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        long userId = data.masterUser("rn" + ConsoleChanges.serial(), "rename2024pw");
        long company = companyOf(userId);
        String detail = console.page("/console/companies/" + company);

        assertThat(ok(console.submit("/console/companies/" + company + "/rename/confirm", detail, Map.of("name", " "))))
                .contains("CCMP005", "name-error");
        String first = ok(console.submit("/console/companies/" + company + "/rename/confirm", detail,
                Map.of("name", "株式会社新名称" + company)));
        String second = ok(console.submit("/console/companies/" + company + "/rename/confirm", detail,
                Map.of("name", "株式会社別名称" + company)));
        assertThat(first).contains("CCMP006", "→ 株式会社新名称" + company);

        assertThat(location(execute(console, operator, company, first))).endsWith("/console/companies/" + company);
        assertThat(console.page("/console/companies/" + company)).contains("企業名を変更しました。");
        assertThat(location(execute(console, operator, company, second))).endsWith("/console/companies/" + company);
        assertThat(console.page("/console/companies/" + company)).contains("企業名が確認後に変更されていたため");
        assertThat(changes.count("SELECT COUNT(*) FROM bizweb_company WHERE id = ? AND name = ?", company,
                "株式会社新名称" + company)).isEqualTo(1);
        assertThat(changes.auditRows("COMPANY_RENAMED", "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void aSuspendedCompanysUsersCannotLogInUntilItIsResumedAndAnOperatorCannotSuspend() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "ss" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String master = "su" + ConsoleChanges.serial();
        long company = companyOf(data.masterUser(master, "suspend2024pw"));
        assertThat(portalLogin(master, "suspend2024pw")).doesNotContain("?locked").doesNotContain("?error");

        String suspend = ok(console.submit("/console/companies/" + company + "/change/confirm",
                console.page("/console/companies/" + company), Map.of("action", "SUSPEND")));
        assertThat(location(execute(console, operator, company, suspend))).endsWith("/console/companies/" + company);
        assertThat(console.page("/console/companies/" + company)).contains("利用停止中");
        assertThat(portalLogin(master, "suspend2024pw")).endsWith("?locked");

        String resume = ok(console.submit("/console/companies/" + company + "/change/confirm",
                console.page("/console/companies/" + company), Map.of("action", "RESUME")));
        execute(console, operator, company, resume);
        assertThat(portalLogin(master, "suspend2024pw")).doesNotContain("?locked").doesNotContain("?error");
        assertThat(changes.auditRows("COMPANY_SUSPENDED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("COMPANY_RESUMED", "operator:" + loginId)).isEqualTo(1);

        ConsoleClient plain = new ConsoleClient(url(""));
        String plainId = "so" + ConsoleChanges.serial();
        long id = data.operator(plainId, "console-pass-" + plainId, "OPERATOR");
        plain.logInWithOtp(plainId, "console-pass-" + plainId, ConsoleTestData.operatorToken(tokens, url(""), id), clock);
        String page = plain.page("/console/companies/" + company);
        assertThat(page).contains("CCMP005").doesNotContain("change-suspension");
        assertThat(plain.submit("/console/companies/" + company + "/change/confirm", page, Map.of("action", "SUSPEND"))
                .statusCode()).isEqualTo(403);
    }

    private String portalLogin(String loginId, String password) {
        return FormLogin.logIn(url(""), "/bizweb/login", loginId, password).headers().firstValue("Location").orElse("");
    }

    private long firstUseLockedCompany() {
        long company = companyOf(data.masterUser("fl" + ConsoleChanges.serial(), "firstuse2024"));
        jdbc.sql("""
                        UPDATE bizweb_company SET first_use_completed_at = NULL, first_use_failed_count = 5,
                                                  first_use_locked_at = :now, temporary_password_hash = 'old'
                        WHERE id = :id""")
                .param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC)).param("id", company).update();
        return company;
    }

    private long companyOf(long userId) {
        return changes.count("SELECT company_id FROM bizweb_user WHERE id = ?", userId);
    }

    private HttpResponse<String> execute(ConsoleClient console, TestTokenDevice operator, long company, String confirm) {
        return console.submit("/console/companies/" + company + "/change/execute", confirm, Map.of(
                "transactionToken", formTokenOf(confirm), "otp", operator.codeAt(clock.advance(Duration.ofSeconds(60)))));
    }

    private static String ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a page: %s", response.body()).isEqualTo(200);
        return response.body();
    }
}
