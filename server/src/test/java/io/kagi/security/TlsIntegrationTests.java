package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.kagi.KagiApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTPS with a configured certificate (the README's "HTTPS"): a self-signed PKCS#12 keystore made
 * with the JDK's keytool, Kagi started with {@code server.ssl.*}, and a client that trusts exactly
 * that certificate (no trust-all). Over TLS every area sends HSTS and the session cookie is Secure.
 */
class TlsIntegrationTests {

    private static final String PASSWORD = UUID.randomUUID().toString();
    private static Path keystore;
    private static ConfigurableApplicationContext kagi;
    private static HttpClient client;
    private static int port;

    @BeforeAll
    static void startWithACertificate() throws Exception {
        Path folder = Files.createDirectories(Paths.get("target", "tls"));
        keystore = folder.resolve("kagi-" + UUID.randomUUID() + ".p12").toAbsolutePath();
        Process keytool = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "kagi", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        kagi = new SpringApplicationBuilder(KagiApplication.class).run(
                "--server.port=0", "--management.server.port=0",
                "--server.ssl.key-store=" + keystore, "--server.ssl.key-store-type=PKCS12",
                "--server.ssl.key-store-password=" + PASSWORD, "--server.ssl.key-alias=kagi",
                "--spring.datasource.url=jdbc:h2:mem:kagi-tls-" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "--kagi.demo.enabled=false", "--kagi.data-dir=target/test-data",
                "--kagi.keys.ring=tls-1=" + Base64.getEncoder().encodeToString(key),
                "--kagi.keys.generate-if-missing=false", "--kagi.passwords.bcrypt-strength=4");
        port = ((WebServerApplicationContext) kagi).getWebServer().getPort();

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = trusted.getCertificate("kagi");
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("kagi", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kagi != null) {
            kagi.close();
        }
        if (keystore != null) {
            Files.deleteIfExists(keystore);
        }
    }

    @Test
    void everyAreaSendsHstsOverTls() throws Exception {
        for (String path : List.of("/bizweb/login", "/app/", "/mailbox", "/api/openapi", "/api/v1/services/12345678")) {
            HttpResponse<String> response = get(path);

            assertThat(response.headers().firstValue("Strict-Transport-Security")).as(path)
                    .hasValueSatisfying(hsts -> assertThat(hsts).matches("max-age=[0-9]{7,}.*")
                            .contains("includeSubDomains"));
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
        }
    }

    @Test
    void theSessionCookieIsSecureHttpOnlyAndSameSiteOverTls() throws Exception {
        HttpResponse<String> login = get("/bizweb/login");
        HttpResponse<String> stale = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/bizweb/top"))
                .header("Cookie", "KAGISESSION=" + "A".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().allValues("Set-Cookie")).filteredOn(cookie -> cookie.startsWith("KAGICSRF="))
                .singleElement().satisfies(cookie -> assertThat(cookie).containsIgnoringCase("Secure")
                        .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict"));
        assertThat(stale.headers().allValues("Set-Cookie")).filteredOn(cookie -> cookie.startsWith("KAGISESSION="))
                .singleElement().satisfies(cookie -> assertThat(cookie).containsIgnoringCase("Secure")
                        .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax"));
    }

    @Test
    void plainHttpIsNotServedOnTheTlsPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response;
        try {
            response = plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/bizweb/login"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception refused) {
            return;
        }
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("BLGI001");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
