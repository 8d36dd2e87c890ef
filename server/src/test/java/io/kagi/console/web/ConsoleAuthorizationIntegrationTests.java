package io.kagi.console.web;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.kagi.authority.AccountRef;
import io.kagi.authority.TokenState;
import io.kagi.authority.Tokens;
import io.kagi.console.ConsoleTestData;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may open which console page and make which change, asked over plain HTTP as a client that
 * does not follow redirects: anonymous visitors, operators with the password only, portal users,
 * operators of the wrong role; and that every change needs a fresh code and goes through once.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleAuthorizationIntegrationTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern TRANSACTION = Pattern.compile("name=\"transactionToken\" value=\"([^\"]+)\"");
    private static final List<String> PAGES = List.of("/console", "/console/companies", "/console/companies/new",
            "/console/notices", "/console/notices/new", "/console/users", "/console/users/action?action=UNLOCK_LOGIN&user=1",
            "/console/audit", "/console/mail", "/console/services", "/console/services/new", "/console/services/12345678");

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

    ConsoleTestData data;
    HttpClient http;

    @BeforeEach
    void setUp() {
        data = new ConsoleTestData(jdbc, passwordEncoder, clock);
        http = newClient();
    }

    @Test
    void anonymousVisitorsAreSentToTheConsoleLogin() throws Exception {
        for (String page : PAGES) {
            assertThat(location(get(page))).as(page).endsWith("/console/login");
        }
        assertThat(location(get("/console/otp"))).endsWith("/console/login");
        assertThat(location(get("/console/token/issue"))).endsWith("/console/login");
        assertThat(get("/console/login").body()).contains("CLGI001");
    }

    @Test
    void withThePasswordOnlyEveryPageAndEveryChangeLeadsToTheOtpAndNothingChanges() throws Exception {
        long operatorId = data.operator("sup-pw-only", "console-pass-1", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        long userId = data.masterUser("pwonly01", "pwonly2024pw");
        jdbc.sql("UPDATE bizweb_user SET login_locked_at = CURRENT_TIMESTAMP, failed_login_count = 5 WHERE id = :id")
                .param("id", userId).update();
        long mailId = data.failedMail("pwonly@example.jp");
        long companies = count("bizweb_company");
        jdbc.sql("""
                        INSERT INTO bizweb_notice (title, body, publish_from, withdrawn, created_at)
                        VALUES ('掲載中のお知らせ', '本文', CURRENT_TIMESTAMP, FALSE, CURRENT_TIMESTAMP)""").update();
        long noticeId = jdbc.sql("SELECT MAX(id) FROM bizweb_notice").query(Long.class).single();
        long notices = count("bizweb_notice");

        assertThat(location(logIn("sup-pw-only", "console-pass-1"))).endsWith("/console/otp");
        for (String page : PAGES) {
            assertThat(location(get(page))).as(page).endsWith("/console/otp");
        }
        String csrf = csrfOf(get("/console/otp").body());
        Map<String, Map<String, String>> changes = new LinkedHashMap<>();
        changes.put("/console/companies/new/create", Map.of("name", "株式会社無認証", "branchCode", "101",
                "accountType", "ORDINARY", "accountNumber", "7654321", "otp", "123456"));
        changes.put("/console/notices/publish", Map.of("title", "無認証のお知らせ", "body", "本文", "otp", "123456"));
        changes.put("/console/users/action", Map.of("action", "UNLOCK_LOGIN", "user", String.valueOf(userId), "otp", "123456"));
        changes.put("/console/mail/" + mailId + "/retry", Map.of("otp", "123456"));
        changes.put("/console/notices/" + noticeId + "/withdraw", Map.of("otp", "123456"));
        changes.put("/console/users/action#revoke", Map.of("action", "REVOKE_TOKEN", "serviceId", device.serviceId(),
                "userId", device.userId(), "otp", "123456"));
        for (Map.Entry<String, Map<String, String>> change : changes.entrySet()) {
            Map<String, String> form = new LinkedHashMap<>(change.getValue());
            form.put("_csrf", csrf);
            String path = change.getKey().replaceFirst("#.*", "");
            assertThat(location(post(path, form))).as(change.getKey()).endsWith("/console/otp");
        }

        assertThat(count("bizweb_company")).isEqualTo(companies);
        assertThat(count("bizweb_notice")).isEqualTo(notices);
        assertThat(jdbc.sql("SELECT login_locked_at IS NOT NULL FROM bizweb_user WHERE id = :id").param("id", userId)
                .query(Boolean.class).single()).isTrue();
        assertThat(jdbc.sql("SELECT status FROM mail_outbox WHERE id = :id").param("id", mailId)
                .query(String.class).single()).isEqualTo("FAILED");
        assertThat(jdbc.sql("SELECT withdrawn FROM bizweb_notice WHERE id = :id").param("id", noticeId)
                .query(Boolean.class).single()).isFalse();
        assertThat(tokens.status(ConsoleTestData.CONSOLE, new AccountRef("console-operator:" + operatorId)).orElseThrow()
                .state()).isEqualTo(TokenState.ACTIVE);
    }

    @Test
    void aPortalLoginNeverOpensTheConsoleAndAConsoleLoginNeverOpensThePortal() throws Exception {
        data.masterUser("portal01", "portal2024pw");
        HttpResponse<String> portalLogin = post("/bizweb/login", Map.of("loginId", "portal01", "password", "portal2024pw",
                "_csrf", csrfOf(get("/bizweb/login").body())));
        assertThat(location(portalLogin)).endsWith("/bizweb/token/issue");
        assertThat(get("/bizweb/top").body()).contains("BTOP001");
        for (String page : PAGES) {
            assertThat(location(get(page))).as(page).endsWith("/console/login");
        }
        assertThat(location(logIn("portal01", "portal2024pw"))).endsWith("/console/login?error");

        HttpClient operatorBrowser = newClient();
        http = operatorBrowser;
        long operatorId = data.operator("sup-no-portal", "console-pass-2", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        logInWithOtp("sup-no-portal", "console-pass-2", device);
        assertThat(get("/console").body()).contains("CTOP001");
        assertThat(location(get("/bizweb/top"))).endsWith("/bizweb/login");
        assertThat(location(get("/bizweb/token/issue"))).endsWith("/bizweb/login");
    }

    @Test
    void anOperatorWithoutTheSupervisorRoleIsRefusedContractsUnlockingAndRevoking() throws Exception {
        long operatorId = data.operator("op-plain", "console-pass-3", "OPERATOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        long userId = data.masterUser("plain001", "plain2024pw");
        logInWithOtp("op-plain", "console-pass-3", device);
        long companies = count("bizweb_company");

        assertThat(get("/console/notices/new").statusCode()).isEqualTo(200);
        assertThat(get("/console/companies?q=" + URLEncoder.encode("検証plain", StandardCharsets.UTF_8)).body())
                .contains("株式会社検証plain001").doesNotContain("株式会社検証pwonly01");
        jdbc.sql("UPDATE bizweb_user SET login_locked_at = CURRENT_TIMESTAMP WHERE id = :id").param("id", userId).update();
        assertThat(get("/console/users?loginId=plain0").body()).contains("plain001", "マスターユーザ", "ロック中")
                .doesNotContain("unlock-login");
        assertThat(get("/console/companies").body()).contains("CCMP001").doesNotContain("/console/companies/new");
        assertThat(get("/console/companies/new").statusCode()).isEqualTo(403);
        assertThat(get("/console/users/action?action=UNLOCK_LOGIN&user=" + userId).statusCode()).isEqualTo(403);
        String csrf = csrfOf(get("/console/notices/new").body());
        assertThat(post("/console/companies/new/create", Map.of("name", "株式会社権限外", "branchCode", "101",
                "accountType", "ORDINARY", "accountNumber", "7654322", "otp", "123456", "_csrf", csrf)).statusCode())
                .isEqualTo(403);
        assertThat(post("/console/users/action", Map.of("action", "REVOKE_TOKEN", "serviceId", "12345678",
                "userId", "123456", "otp", "123456", "_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(count("bizweb_company")).isEqualTo(companies);
    }

    @Test
    void everyChangeAsksForAFreshCodeAndGoesThroughOnce() throws Exception {
        long operatorId = data.operator("sup-fresh", "console-pass-4", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), operatorId);
        String loginCode = logInWithOtp("sup-fresh", "console-pass-4", device);

        String confirm = post("/console/notices/confirm", Map.of("title", "新しいコードのお知らせ", "body", "本文です",
                "publishFrom", "", "publishUntil", "", "_csrf", csrfOf(get("/console/notices/new").body()))).body();
        assertThat(confirm).contains("CNTC003", "新しいコードのお知らせ");

        // The code used at login is spent: the same step is refused as used (wait for the next code).
        HttpResponse<String> replayed = post("/console/notices/publish", publishForm(confirm, loginCode));
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(replayed.body()).contains("CNTC003", "このワンタイムパスワードは使用済みです");
        assertThat(noticesTitled("新しいコードのお知らせ")).isZero();

        clock.advance(Duration.ofSeconds(60));
        Map<String, String> form = publishForm(replayed.body(), device.codeAt(clock.instant()));
        assertThat(location(post("/console/notices/publish", form))).endsWith("/console/approvals");
        assertThat(waitingNotices("新しいコードのお知らせ")).isEqualTo(1);

        // The same form again (a double click, the back button): refused, nothing published twice.
        clock.advance(Duration.ofSeconds(60));
        form.put("otp", device.codeAt(clock.instant()));
        form.put("_csrf", csrfOf(get("/console/notices").body()));
        assertThat(location(post("/console/notices/publish", form))).endsWith("/console/notices?alreadyDone");
        assertThat(get("/console/notices?alreadyDone").body()).contains("この操作は受付済みです");
        assertThat(waitingNotices("新しいコードのお知らせ")).isEqualTo(1);
        assertThat(jdbc.sql("""
                        SELECT COUNT(*) FROM audit_event WHERE type = 'DOUBLE_SUBMIT_REFUSED' AND actor = 'operator:sup-fresh'""")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void fiveWrongPasswordsLockAnOperatorsLogin() throws Exception {
        data.operator("sup-lock", "console-pass-5", "SUPERVISOR");
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(location(logIn("sup-lock", "wrong-" + attempt))).endsWith("/console/login?error");
        }
        assertThat(location(logIn("sup-lock", "wrong-5"))).endsWith("/console/login?locked");
        assertThat(location(logIn("sup-lock", "console-pass-5"))).endsWith("/console/login?locked");
    }

    private Map<String, String> publishForm(String confirmPage, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("title", "新しいコードのお知らせ");
        form.put("body", "本文です");
        form.put("publishFrom", "");
        form.put("publishUntil", "");
        form.put("otp", code);
        form.put("transactionToken", match(TRANSACTION, confirmPage));
        form.put("_csrf", csrfOf(confirmPage));
        return form;
    }

    private long noticesTitled(String title) {
        return jdbc.sql("SELECT COUNT(*) FROM bizweb_notice WHERE title = :title").param("title", title)
                .query(Long.class).single();
    }

    private long waitingNotices(String title) {
        return jdbc.sql("SELECT COUNT(*) FROM console_pending_change WHERE kind = 'notice-publish' AND operation LIKE :title")
                .param("title", "%" + title + "%").query(Long.class).single();
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    /** Password and OTP; returns the code used. */
    private String logInWithOtp(String loginId, String password, TestTokenDevice device) throws Exception {
        assertThat(location(logIn(loginId, password))).endsWith("/console/otp");
        String page = get("/console/otp").body();
        clock.advance(Duration.ofSeconds(60));
        String code = device.codeAt(clock.instant());
        HttpResponse<String> verified = post("/console/otp", Map.of("otp", code,
                "transactionToken", match(TRANSACTION, page), "_csrf", csrfOf(page)));
        assertThat(location(verified)).endsWith("/console");
        return code;
    }

    private HttpResponse<String> logIn(String loginId, String password) throws Exception {
        return post("/console/login", Map.of("loginId", loginId, "password", password,
                "_csrf", csrfOf(get("/console/login").body())));
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a redirect").isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static String csrfOf(String page) {
        return match(CSRF, page);
    }

    private static String match(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as("%s in the page", pattern).isTrue();
        return matcher.group(1);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
