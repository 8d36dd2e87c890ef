package io.kagi.bizweb;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.authority.Tokens;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/** Which factors each page needs, asked over plain HTTP as a client that does not follow redirects. */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class PortalAuthorizationIntegrationTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern TRANSACTION = Pattern.compile("name=\"transactionToken\" value=\"([^\"]+)\"");

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

    @Autowired
    Services services;

    PortalTestData data;
    HttpClient http;

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterEach
    void restorePolicy() {
        services.updatePolicy(PortalTestData.PORTAL, ServicePolicy.defaults());
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        assertThat(location(get("/bizweb/top"))).endsWith("/bizweb/login");
        assertThat(location(get("/bizweb/token/issue"))).endsWith("/bizweb/login");
        assertThat(get("/bizweb/login").statusCode()).isEqualTo(200);
    }

    @Test
    void theTopPageNeedsTheOtpFactorWhenThePolicyAsksAndTheUserHasAToken() throws Exception {
        long userId = data.masterUser("policy01", "policy2024pw", "方針一郎");
        PortalTestData.activeToken(tokens, url(""), userId);

        assertThat(location(logIn("policy01", "policy2024pw"))).endsWith("/bizweb/otp");
        assertThat(location(get("/bizweb/top"))).endsWith("/bizweb/otp");
        assertThat(location(get("/bizweb/approvals"))).endsWith("/bizweb/otp");
        assertThat(get("/bizweb/otp").body()).contains("BLGI010");
    }

    @Test
    void withoutTheOtpAtLoginPolicyTheTopPageNeedsOnlyThePasswordButApprovalsStillNeedTheOtp() throws Exception {
        services.updatePolicy(PortalTestData.PORTAL, withoutOtpAtLogin());
        long userId = data.masterUser("policy02", "policy2024pw", "方針二郎");
        PortalTestData.activeToken(tokens, url(""), userId);

        assertThat(location(logIn("policy02", "policy2024pw"))).endsWith("/bizweb/top");
        assertThat(get("/bizweb/top").body()).contains("BTOP001");
        assertThat(location(get("/bizweb/payees"))).endsWith("/bizweb/otp");
    }

    @Test
    void approvalsAndPayeesAreRefusedWithTheReasonToAUserWithoutAToken() throws Exception {
        data.masterUser("notoken1", "notoken2024", "未発行三郎");

        assertThat(location(logIn("notoken1", "notoken2024"))).endsWith("/bizweb/token/issue");
        assertThat(get("/bizweb/top").body()).contains("BTOP001");
        assertThat(location(get("/bizweb/approvals"))).endsWith("/bizweb/refused?function=approvals");
        assertThat(location(get("/bizweb/payees"))).endsWith("/bizweb/refused?function=payees");
        assertThat(get("/bizweb/refused?function=approvals").body()).contains("BERR001", "「承認」はワンタイムパスワード認証が必要");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'ACCESS_REFUSED_NO_TOKEN' AND actor = 'notoken1'")
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void issuingTwiceWithTheSameFormIssuesOnlyOnce() throws Exception {
        data.masterUser("double01", "double2024pw", "二重四郎");
        logIn("double01", "double2024pw");
        String page = get("/bizweb/token/issue").body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", first(CSRF, page));
        form.put("transactionToken", first(TRANSACTION, page));
        form.put("mailAddress", "double01@example.jp");
        form.put("mailAddressConfirmation", "double01@example.jp");
        form.put("activationPassword", "1234");
        form.put("activationPasswordConfirmation", "1234");

        HttpResponse<String> firstSubmission = post("/bizweb/token/issue", form);
        HttpResponse<String> secondSubmission = post("/bizweb/token/issue", form);

        assertThat(location(firstSubmission)).endsWith("/bizweb/token/confirm");
        assertThat(location(secondSubmission)).endsWith("/bizweb/token/confirm");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'TOKEN_ISSUE_REQUESTED' AND actor = 'double01'")
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'DOUBLE_SUBMIT_REFUSED' AND actor = 'double01'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theLoginChangesTheSessionIdAndIsRecordedInTheHistoryAndTheAuditLog() throws Exception {
        long userId = data.masterUser("history1", "history2024", "履歴五郎");
        get("/bizweb/login");
        String before = sessionCookie();

        logIn("history1", "history2024");

        assertThat(sessionCookie()).isNotEqualTo(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bizweb_login_history WHERE user_id = :id").param("id", userId)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'LOGIN_SUCCEEDED' AND actor = 'history1'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void fifteenIdleMinutesEndTheSessionWithTheTimeoutNoticeButActivityKeepsItAlive() throws Exception {
        data.masterUser("idle0001", "idle2024pw", "放置六郎"); // no token yet: logged in, offered the issuance
        assertThat(location(logIn("idle0001", "idle2024pw"))).endsWith("/bizweb/token/issue");

        for (int i = 0; i < 2; i++) {
            clock.advance(Duration.ofMinutes(14));
            assertThat(get("/bizweb/top").body()).as("after 14 idle minutes").contains("BTOP001");
        }
        clock.advance(Duration.ofMinutes(15));

        assertThat(location(get("/bizweb/top"))).endsWith("/bizweb/login?timeout");
        assertThat(get("/bizweb/login?timeout").body()).contains("BLGI001", "一定時間操作がなかったため、ログアウトしました。");
    }

    private static ServicePolicy withoutOtpAtLogin() {
        ServicePolicy defaults = ServicePolicy.defaults();
        return new ServicePolicy(defaults.algorithm(), defaults.digits(), defaults.step(), defaults.window(),
                defaults.lockThreshold(), defaults.activationValidity(), defaults.revokeCoolingOff(), false);
    }

    private HttpResponse<String> logIn(String loginId, String password) throws Exception {
        String csrf = first(CSRF, get("/bizweb/login").body());
        return post("/bizweb/login", Map.of("_csrf", csrf, "loginId", loginId, "password", password));
    }

    private String sessionCookie() {
        return ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals("KAGISESSION")).map(java.net.HttpCookie::getValue)
                .findFirst().orElse(null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
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

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("pattern " + pattern + " on the page").isTrue();
        return matcher.group(1);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
