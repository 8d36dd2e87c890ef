package io.kagi.platform;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The {@code production} profile as the README starts it, its settings given as the {@code KAGI_*}
 * variables (the database is the test's own). Behind a proxy: only a configured proxy may name the
 * client ({@code X-Forwarded-For}); redirects never carry a host taken from the request; error pages
 * name no framework; the OpenAPI document is off unless asked for.
 */
@KagiIntegrationTest
@ActiveProfiles("production")
@TestPropertySource(properties = {
        "KAGI_DB_URL=jdbc:h2:mem:replaced-by-the-test-database", "KAGI_DB_USER=kagi", "KAGI_DB_PASSWORD=",
        "KAGI_SMTP_HOST=127.0.0.1", "kagi.mail.sender-enabled=false", "KAGI_MAIL_FROM=otp@bank.example",
        "KAGI_BANK_NAME=みらい銀行", "KAGI_SUPPORT_PHONE=0120-111-222", "KAGI_SUPPORT_HOURS=9:00〜17:00",
        "KAGI_PUBLIC_URL=https://otp.bank.example",
        "KAGI_BIZWEB_SERVICE_ID=12345678", "KAGI_BIZWEB_SERVICE_NAME=みらい銀行ビジネスWeb",
        // The proxy is 127.0.0.2; requests from 127.0.0.1 stand for clients reaching Kagi directly.
        "KAGI_TRUSTED_PROXIES=127.0.0.2/32"
})
class ProductionProfileIntegrationTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_COOKIE = Pattern.compile("KAGICSRF=([^;\\s]+)");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecretsAtRest secrets;

    @Test
    void theClientAddressForwardedByATrustedProxyIsRecorded() {
        String loginId = failedLoginFrom("127.0.0.2", "203.0.113.7");

        assertThat(recordedAddress(loginId)).isEqualTo("203.0.113.7");
    }

    @Test
    void whatTheClientItselfWroteIntoTheForwardedListIsNotBelieved() {
        String loginId = failedLoginFrom("127.0.0.2", "198.51.100.1, 203.0.113.9");

        assertThat(recordedAddress(loginId)).isEqualTo("203.0.113.9");
    }

    @Test
    void aForwardedAddressFromAnyOtherPeerIsIgnored() {
        String loginId = failedLoginFrom("127.0.0.1", "203.0.113.8");

        assertThat(recordedAddress(loginId)).isEqualTo("127.0.0.1");
    }

    @Test
    void redirectsNeverNameTheHostTheRequestClaims() {
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", "127.0.0.1", port,
                "GET /bizweb/top HTTP/1.1\r\nHost: evil.example\r\nConnection: close", "");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).hasValue("/bizweb/login");
    }

    @Test
    void anHttp10RedirectGoesToThePublicAddressNotToTheHostTheRequestClaims() {
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", "127.0.0.1", port,
                "GET /bizweb/top HTTP/1.0\r\nHost: evil.example", "");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).hasValue("https://otp.bank.example/bizweb/login");
    }

    @Test
    void errorPagesNameNoFramework() {
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", "127.0.0.1", port,
                "GET /no-such-page HTTP/1.0\r\nHost: localhost\r\nAccept: text/html", "");

        assertThat(response.status()).as("an unclaimed path is denied").isEqualTo(403);
        assertThat(response.body()).contains("ERR403").doesNotContain("<!--").doesNotContainIgnoringCase("spring")
                .doesNotContainIgnoringCase("thymeleaf").doesNotContainIgnoringCase("tomcat");
    }

    @Test
    void theOpenApiDocumentIsNotServedUnlessAskedFor() {
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", "127.0.0.1", port,
                "GET /api/openapi HTTP/1.0\r\nHost: localhost\r\nAccept: application/json", "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("openapi\":");
    }

    @Test
    void listensOnEveryInterface() {
        assertThatCode(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", port), 5_000);
            }
        }).doesNotThrowAnyException();
    }

    /** A wrong password for an unknown login ID, sent from {@code localAddress} with {@code X-Forwarded-For}; returns the login ID. */
    private String failedLoginFrom(String localAddress, String forwardedFor) {
        String loginId = "px" + UUID.randomUUID().toString().substring(0, 8);
        RawHttp.Response page = RawHttp.exchange(localAddress, "127.0.0.1", port,
                "GET /bizweb/login HTTP/1.0\r\nHost: otp.bank.example\r\nX-Forwarded-For: " + forwardedFor, "");
        String csrfCookie = first(CSRF_COOKIE, page.header("Set-Cookie").orElseThrow());
        String form = "_csrf=" + URLEncoder.encode(first(CSRF, page.body()), StandardCharsets.UTF_8)
                + "&loginId=" + loginId + "&password=wrong-password-1";
        RawHttp.Response login = RawHttp.exchange(localAddress, "127.0.0.1", port,
                "POST /bizweb/login HTTP/1.0\r\nHost: otp.bank.example\r\nX-Forwarded-For: " + forwardedFor
                        + "\r\nCookie: KAGICSRF=" + csrfCookie + "\r\nContent-Type: application/x-www-form-urlencoded", form);
        assertThat(login.status()).as(login.body()).isEqualTo(302);
        assertThat(login.header("Location")).get().asString().endsWith("/bizweb/login?error");
        return loginId;
    }

    private String recordedAddress(String loginId) {
        return jdbc.sql("SELECT client_address FROM audit_event WHERE type = 'LOGIN_FAILED' AND subject = :subject")
                .param("subject", "login-id-digest:" + secrets.keyedDigest("login-id:portal", loginId))
                .query(String.class).single();
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group(1);
    }
}
