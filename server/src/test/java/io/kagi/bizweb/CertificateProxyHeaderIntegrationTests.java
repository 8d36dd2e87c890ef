package io.kagi.bizweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.certificates.TestCertificates;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Behind a TLS-terminating proxy the client certificate arrives in a header (nginx's URL-encoded PEM), believed
 * only from the configured proxy addresses: here 127.0.0.1 is the proxy, and other loopback addresses
 * (127.0.0.2) stand for clients that write the header themselves.
 */
@KagiIntegrationTest
@TestPropertySource(properties = {"kagi.certificates.proxy-header=X-SSL-Client-Cert",
        "kagi.certificates.proxy-addresses=127.0.0.1/32"})
@Import(PortalTestData.ClockConfig.class)
class CertificateProxyHeaderIntegrationTests extends PortalTestSupport {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern TRANSACTION = Pattern.compile("name=\"transactionToken\" value=\"([^\"]+)\"");
    private static final Pattern CERTIFICATE = Pattern.compile("\"certificate\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Override
    String prefixLetter() {
        return "h";
    }

    @Test
    void theCertificateInTheProxysHeaderNamesTheUserAndTheSameHeaderFromAnyoneElseIsIgnored() throws Exception {
        String loginId = prefix + "m";
        long master = data.masterUser(loginId, "Password-1", "代理 三郎");
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), master);
        PortalClient browser = new PortalClient(url(""));
        String page = browser.get("/bizweb/certificate/issue").body();
        String signPage = browser.post("/bizweb/certificate/issue",
                Map.of("_csrf", first(CSRF, page), "loginId", loginId, "password", "Password-1")).body();
        KeyPair keys = TestCertificates.ecKeyPair();
        clock.advance(Duration.ofSeconds(60));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", first(CSRF, signPage));
        form.put("loginId", loginId);
        form.put("transactionToken", first(TRANSACTION, signPage));
        form.put("otp", device.codeAt(clock.instant()));
        form.put("csr", TestCertificates.csr(keys, loginId, keys));
        String answer = browser.post("/bizweb/certificate/issue/sign", form).body();
        X509Certificate certificate = TestCertificates.certificate(first(CERTIFICATE, answer).replace("\\n", "\n"));
        String header = URLEncoder.encode(TestCertificates.pem(certificate), StandardCharsets.UTF_8).replace("+", "%20");

        HttpClient http = HttpClient.newHttpClient();
        String viaProxy = http.send(HttpRequest.newBuilder(URI.create(url("/bizweb/login")))
                .header("X-SSL-Client-Cert", header).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(viaProxy).contains("id=\"certificate-presented\"").contains(loginId);

        String fromElsewhere = io.kagi.platform.RawHttp.exchange("127.0.0.2", "127.0.0.1", port,
                "GET /bizweb/login HTTP/1.0\r\nHost: 127.0.0.1\r\nX-SSL-Client-Cert: " + header, "").body();
        assertThat(fromElsewhere).contains("id=\"certificate-panel\"").doesNotContain("id=\"certificate-presented\"");
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("pattern " + pattern).isTrue();
        return matcher.group(1);
    }
}
