package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The headers of every area over plain HTTP: a content security policy without inline script
 * and without framing, no MIME sniffing, no HSTS (it is only sent over HTTPS, see
 * {@link TlsIntegrationTests}); the session cookie is HttpOnly and SameSite=Lax, the login form's CSRF
 * cookie HttpOnly and SameSite=Strict.
 */
@KagiIntegrationTest
class SecurityHeadersIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @org.springframework.beans.factory.annotation.Autowired
    io.kagi.platform.Origins origins;

    @LocalServerPort
    int port;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/bizweb/login", "/bizweb/top", "/app/", "/app/app.js", "/mailbox", "/api/openapi",
            "/api/v1/services/12345678", "/api/v1/activation/start", "/nothing-here", "/css/kagi.css"})
    void everyAreaSendsTheSecurityHeaders(String path) throws Exception {
        HttpResponse<String> response = get(path);

        String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow(
                () -> new AssertionError(path + " has no Content-Security-Policy (HTTP " + response.statusCode() + ")"));
        assertThat(directive(policy, "script-src")).hasValueSatisfying(scripts ->
                assertThat(scripts).contains("'self'").doesNotContain("'unsafe-inline'", "'unsafe-eval'", "*", "data:"));
        assertThat(directive(policy, "frame-ancestors")).hasValue("frame-ancestors 'none'");
        assertThat(directive(policy, "object-src")).hasValue("object-src 'none'");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Strict-Transport-Security")).as("never over plain HTTP").isEmpty();
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteLaxAndTheLoginFormsCsrfCookieStrict() throws Exception {
        // A cookie naming no session is dropped with the session cookie's attributes; no session is opened before a login.
        HttpResponse<String> stale = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bizweb/top"))
                .header("Cookie", "KAGISESSION=" + "A".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> login = get("/bizweb/login");

        assertThat(stale.headers().allValues("Set-Cookie")).filteredOn(cookie -> cookie.startsWith("KAGISESSION="))
                .singleElement().satisfies(cookie -> {
                    assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
                    assertThat(cookie).as("not Secure over plain HTTP (the embedded default)").doesNotContainIgnoringCase("Secure;");
                });
        assertThat(login.headers().allValues("Set-Cookie")).filteredOn(cookie -> cookie.startsWith("KAGICSRF="))
                .singleElement().satisfies(cookie ->
                        assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict"));
    }

    @Test
    void pagesHaveNoInlineScript() throws Exception {
        for (String path : List.of("/bizweb/login", "/app/", "/mailbox")) {
            String page = get(path).body();
            assertThat(page).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContainPattern("\\son[a-z]+\\s*=");
        }
    }

    static Optional<String> directive(String policy, String name) {
        for (String directive : policy.split(";")) {
            if (directive.trim().startsWith(name + " ")) {
                return Optional.of(directive.trim());
            }
        }
        return Optional.empty();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create((path.startsWith("/app") ? origins.appOrigin() : "http://localhost:" + port) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
