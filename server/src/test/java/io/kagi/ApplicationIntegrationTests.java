package io.kagi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@KagiIntegrationTest
class ApplicationIntegrationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @org.springframework.beans.factory.annotation.Autowired
    io.kagi.platform.Origins origins;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    JdbcClient jdbc;

    @Test
    void loginPageRendersWithItsScreenId() throws Exception {
        HttpResponse<String> response = get("http://localhost:" + port + "/bizweb/login");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("BLGI001", "ログインID", "ログインパスワード", "name=\"_csrf\"");
    }

    @Test
    void loginPageSpeaksEnglishOnRequest() throws Exception {
        HttpResponse<String> response = get("http://localhost:" + port + "/bizweb/login?lang=en");

        assertThat(response.body()).contains("BLGI001", "Login ID", "lang=\"en\"");
    }

    @Test
    void pagesCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> response = get("http://localhost:" + port + "/bizweb/login");

        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void theLoginPageOpensNoSessionItsFormCarriesItsTokenInACookie() throws Exception {
        long before = jdbc.sql("SELECT COUNT(*) FROM http_session").query(Long.class).single();

        HttpResponse<String> response = get("http://localhost:" + port + "/bizweb/login");

        assertThat(response.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("KAGISESSION="))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("KAGICSRF=").contains("HttpOnly"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM http_session").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void errorPagesSayWhatHappenedAndLeadBackToTheStartWithoutDetails() throws Exception {
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(origins.appOrigin() + "/app/no-such-page"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> login = get("http://localhost:" + port + "/bizweb/login");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        HttpResponse<String> staleForm = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bizweb/login"))
                .header("Accept", "text/html").header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("loginId=someone&password=x&_csrf=not-the-session-token")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(staleForm.statusCode()).isEqualTo(403);
        assertThat(staleForm.body()).contains("ERR403", "画面の有効期限が切れています", "href=\"/bizweb/login\"")
                .doesNotContain("Whitelabel", "Exception", "csrf");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("ERR404", "お探しのページは見つかりませんでした").doesNotContain("Whitelabel");
    }

    @Test
    void mailboxPageRenders() throws Exception {
        HttpResponse<String> response = get("http://localhost:" + port + "/mailbox");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("MBOX001");
    }

    @Test
    void unknownPathsAreRefused() throws Exception {
        assertThat(get("http://localhost:" + port + "/internal/anything").statusCode()).isIn(403, 404);
    }

    @Test
    void healthAndPrometheusAnswerOnTheManagementPort() throws Exception {
        HttpResponse<String> health = get("http://127.0.0.1:" + managementPort + "/actuator/health");
        HttpResponse<String> metrics = get("http://127.0.0.1:" + managementPort + "/actuator/prometheus");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void portalIsRegisteredAsAServiceOfTheAuthority() {
        assertThat(jdbc.sql("SELECT name FROM authority_service WHERE service_id = '12345678'").query(String.class).optional())
                .isPresent();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
