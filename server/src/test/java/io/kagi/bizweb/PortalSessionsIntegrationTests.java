package io.kagi.bizweb;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.authority.Tokens;
import io.kagi.platform.BankTime;
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
 * Sessions as a portal user meets them (issue 17): none is opened for anonymous pages; the user
 * sees where they are logged in and ends another session; an administrator's lock of their login
 * ends every one of their sessions at once.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class PortalSessionsIntegrationTests {

    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern END_FORM = Pattern.compile("name=\"session\" value=\"([^\"]+)\"");

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
    BankTime bankTime;

    PortalTestData data;
    String prefix;

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
        prefix = "s" + SERIAL.incrementAndGet() + "x";
    }

    @Test
    void anonymousRequestsOpenNoSessionAndTheLoginOpensOne() throws Exception {
        data.masterUser(prefix + "m1", "master2024pw", "匿名一郎");
        long before = sessionRows();
        HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        for (int i = 0; i < 60; i++) {
            for (String path : List.of("/bizweb/login", "/bizweb/top", "/bizweb/first-use", "/console/login", "/console")) {
                HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.headers().allValues("Set-Cookie")).as(path)
                        .noneMatch(cookie -> cookie.startsWith("KAGISESSION="));
            }
        }
        HttpResponse<String> stale = anonymous.send(HttpRequest.newBuilder(URI.create(url("/bizweb/top")))
                .header("Cookie", "KAGISESSION=" + "A".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(sessionRows()).as("300 anonymous requests and one with a stale cookie").isEqualTo(before);
        assertThat(PortalClient.location(stale)).endsWith("/bizweb/login?timeout");
        assertThat(stale.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("KAGISESSION=;").containsIgnoringCase("Max-Age=0"));

        PortalClient client = new PortalClient(url(""));
        assertThat(PortalClient.location(client.logIn(prefix + "m1", "master2024pw"))).endsWith("/bizweb/token/issue");
        assertThat(sessionRows()).isEqualTo(before + 1);
        assertThat(jdbc.sql("SELECT owner FROM http_session WHERE owner LIKE :owner").param("owner", "%:" + prefix + "m1")
                .query(String.class).single()).isEqualTo("SPRING_SECURITY_CONTEXT:" + prefix + "m1");
    }

    @Test
    void firstUseOpensTheSessionWhenTheContractIsProven() {
        PortalTestData.Company company = data.company("初回商事", "Temp2024pw");
        PortalClient client = new PortalClient(url(""));
        String page = client.get("/bizweb/first-use").body();
        long before = sessionRows();

        HttpResponse<String> proven = client.post("/bizweb/first-use", Map.of("_csrf", PortalClient.first(CSRF, page),
                "branchCode", "101", "accountType", "ORDINARY", "accountNumber", company.accountNumber(),
                "temporaryPassword", "Temp2024pw"));

        assertThat(PortalClient.location(proven)).endsWith("/bizweb/first-use/user");
        assertThat(sessionRows()).isEqualTo(before + 1);
        assertThat(client.get("/bizweb/first-use/user").body()).contains("BLGI003");
    }

    @Test
    void aLoginFormWithoutItsCsrfCookieIsRefused() throws Exception {
        data.masterUser(prefix + "m1", "master2024pw", "無印七郎");
        long before = sessionRows();
        HttpClient cookieless = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> page = cookieless.send(HttpRequest.newBuilder(URI.create(url("/bizweb/login"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("KAGICSRF=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/bizweb"));
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).isTrue();

        HttpResponse<String> post = cookieless.send(HttpRequest.newBuilder(URI.create(url("/bizweb/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("loginId=" + prefix + "m1&password=master2024pw&_csrf="
                        + csrf.group(1))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(PortalClient.location(post)).as("a form without its token is a lapsed one").endsWith("/bizweb/login?timeout");
        assertThat(sessionRows()).isEqualTo(before);
    }

    @Test
    void aUserSeesWhereTheyAreLoggedInAndEndsAnotherSession() {
        long userId = data.masterUser(prefix + "m1", "master2024pw", "端末二郎");
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), userId);
        String officeStart = bankTime.minutes(clock.instant()); // the session begins with the password
        PortalClient office = new PortalClient(url("")).logInWithOtp(prefix + "m1", "master2024pw", device, clock);
        clock.advance(Duration.ofMinutes(5));
        PortalClient other = new PortalClient(url("")).logInWithOtp(prefix + "m1", "master2024pw", device, clock);

        assertThat(office.get("/bizweb/top").body()).contains("href=\"/bizweb/sessions\"");
        String page = office.get("/bizweb/sessions").body();
        assertThat(page).contains("BSES001", officeStart, "127.0.0.1", "この端末");
        Matcher end = END_FORM.matcher(page);
        assertThat(end.find()).as("one other session to end").isTrue();
        String otherSession = end.group(1);
        assertThat(end.find()).as("this session has no 終了 button").isFalse();

        HttpResponse<String> ended = office.submit("/bizweb/sessions/end", Map.of("session", otherSession));

        assertThat(PortalClient.location(ended)).endsWith("/bizweb/sessions");
        assertThat(office.get("/bizweb/sessions").body()).contains("選択した端末のログインを終了しました。")
                .doesNotContain(otherSession);
        assertThat(PortalClient.location(other.get("/bizweb/top"))).endsWith("/bizweb/login?timeout");
        assertThat(office.get("/bizweb/top").body()).contains("BTOP001");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'SESSION_ENDED' AND actor = :actor")
                .param("actor", prefix + "m1").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aUserCannotEndSomeoneElsesSession() {
        long firstId = data.masterUser(prefix + "m1", "master2024pw", "端末三郎");
        long secondId = data.masterUser(prefix + "m2", "master2024pw", "端末四郎");
        PortalClient first = new PortalClient(url("")).logInWithOtp(prefix + "m1", "master2024pw",
                PortalTestData.activeToken(tokens, url(""), firstId), clock);
        PortalClient second = new PortalClient(url("")).logInWithOtp(prefix + "m2", "master2024pw",
                PortalTestData.activeToken(tokens, url(""), secondId), clock);
        String secondsReference = io.kagi.session.UserSessions.reference(jdbc.sql(
                        "SELECT session_id FROM http_session WHERE owner = :owner")
                .param("owner", "SPRING_SECURITY_CONTEXT:" + prefix + "m2").query(String.class).single());

        HttpResponse<String> attempt = first.submit("/bizweb/sessions/end", Map.of("session", secondsReference));

        assertThat(PortalClient.location(attempt)).endsWith("/bizweb/sessions");
        assertThat(first.get("/bizweb/sessions").body()).contains("すでにログアウトしているか終了しています");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'SESSION_ENDED' AND actor = :actor")
                .param("actor", prefix + "m1").query(Long.class).single()).as("nothing ended, nothing recorded").isZero();
        assertThat(second.get("/bizweb/top").body()).contains("BTOP001");
    }

    @Test
    void anAdministratorsLockEndsEverySessionOfThatUserAtOnce() {
        long master = data.masterUser(prefix + "m1", "master2024pw", "管理五郎");
        long general = data.colleague(master, prefix + "g1", "general2024", "一般六郎", "GENERAL", false);
        TestTokenDevice masterDevice = PortalTestData.activeToken(tokens, url(""), master);
        TestTokenDevice generalDevice = PortalTestData.activeToken(tokens, url(""), general);
        PortalClient admin = new PortalClient(url("")).logInWithOtp(prefix + "m1", "master2024pw", masterDevice, clock);
        PortalClient atDesk = new PortalClient(url("")).logInWithOtp(prefix + "g1", "general2024", generalDevice, clock);
        PortalClient onLaptop = new PortalClient(url("")).logInWithOtp(prefix + "g1", "general2024", generalDevice, clock);
        assertThat(atDesk.get("/bizweb/top").body()).contains("BTOP001");

        String confirm = admin.confirmPage("/bizweb/users/" + general + "/confirm", Map.of("operation", "LOCK_LOGIN"));
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> locked = admin.submit("/bizweb/users/execute", Map.of("operation", "LOCK_LOGIN",
                "targetId", String.valueOf(general), "transactionToken", PortalClient.transactionToken(confirm),
                "otp", masterDevice.codeAt(clock.instant())));
        assertThat(locked.body()).contains("利用者管理完了");

        for (PortalClient session : List.of(atDesk, onLaptop)) {
            assertThat(PortalClient.location(session.get("/bizweb/transfers"))).endsWith("/bizweb/login?timeout");
            for (String path : List.of("/bizweb/top", "/bizweb/sessions")) {
                assertThat(PortalClient.location(session.get(path))).as("then, without its cookie, " + path)
                        .endsWith("/bizweb/login");
            }
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM http_session WHERE owner = :owner")
                .param("owner", "SPRING_SECURITY_CONTEXT:" + prefix + "g1").query(Long.class).single()).isZero();
        assertThat(admin.get("/bizweb/top").body()).contains("BTOP001");
    }

    private long sessionRows() {
        return jdbc.sql("SELECT COUNT(*) FROM http_session").query(Long.class).single();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
