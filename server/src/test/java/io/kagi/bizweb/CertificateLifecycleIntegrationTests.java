package io.kagi.bizweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.kagi.certificates.ClientCertificateTls;
import io.kagi.certificates.TestCertificates;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * 電子証明書 over real HTTP and TLS (H2, then PostgreSQL): issuance from BLGI001 with the password and the OTP,
 * exactly once per form; refusal of malformed and foreign requests (nothing issued); certificate login with the
 * password alone then the OTP; renewal (the old certificate superseded); the master user's revocation; refusal of
 * revoked, expired (by the application's clock) and foreign certificates; and the CRL.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class CertificateLifecycleIntegrationTests extends PortalTestSupport {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern TRANSACTION = Pattern.compile("name=\"transactionToken\" value=\"([^\"]+)\"");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Autowired
    ClientCertificateTls.HttpsEndpoint https;

    @Override
    String prefixLetter() {
        return "e";
    }

    @Test
    void aCertificateIsIssuedOnceRenewedRevokedAndListedInTheCrl() throws Exception {
        String loginId = prefix + "m";
        long master = data.masterUser(loginId, "Password-1", "証明 太郎");
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), master);
        PortalClient browser = new PortalClient(url(""));

        // BLGI001 → 電子証明書発行: login ID and password, then the OTP with the PKCS#10 request.
        String signPage = proveIdentity(browser, loginId, "Password-1");
        KeyPair keys = TestCertificates.ecKeyPair();
        Map<String, String> form = signForm(signPage, loginId, device, TestCertificates.csr(keys, loginId, keys));
        HttpResponse<String> issued = browser.post("/bizweb/certificate/issue/sign", form);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        Map<String, String> answer = json(issued.body());
        assertThat(answer).containsEntry("status", "issued");
        X509Certificate certificate = TestCertificates.certificate(answer.get("certificate"));
        X509Certificate ca = TestCertificates.certificate(answer.get("chain"));
        certificate.verify(ca.getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=" + loginId).contains("O=");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(365), Duration.ofDays(365).plusMinutes(5));
        assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
        String serial = certificate.getSerialNumber().toString(16);
        assertThat(answer.get("serial")).isEqualTo(serial);

        // The same form again issues nothing.
        HttpResponse<String> again = browser.post("/bizweb/certificate/issue/sign", form);
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(json(again.body()).get("message")).contains("すでに証明書が発行されています");
        KeyPair another = TestCertificates.ecKeyPair();
        form.put("csr", TestCertificates.csr(another, loginId, another));
        HttpResponse<String> usedForm = browser.post("/bizweb/certificate/issue/sign", form);
        assertThat(usedForm.statusCode()).isEqualTo(409);
        assertThat(json(usedForm.body()).get("message")).contains("最初からやり直してください");
        assertThat(certificatesOf(master)).isEqualTo(1);
        assertThat(auditRows("CERTIFICATE_ISSUED", loginId)).isEqualTo(1);

        // 電子証明書ログイン: no login ID, the password, then the OTP, to BTOP001.
        HttpClient tls = TestCertificates.presenting(keys, certificate);
        HttpResponse<String> loginResponse = get(tls, "/bizweb/login");
        // The trial's self-signed HTTPS port sends no HSTS (it would send http://localhost:8080 to HTTPS too).
        assertThat(loginResponse.headers().firstValue("Strict-Transport-Security")).isEmpty();
        String loginPage = loginResponse.body();
        assertThat(loginPage).contains("id=\"certificate-presented\"").contains(loginId);
        HttpResponse<String> loggedIn = post(tls, "/bizweb/login",
                Map.of("_csrf", first(CSRF, loginPage), "certificate", "1", "password", "Password-1"));
        assertThat(location(loggedIn)).endsWith("/bizweb/otp");
        String otpPage = get(tls, "/bizweb/otp").body();
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> verified = post(tls, "/bizweb/otp", Map.of("_csrf", first(CSRF, otpPage),
                "transactionToken", first(TRANSACTION, otpPage), "otp", device.codeAt(clock.instant())));
        assertThat(location(verified)).endsWith("/bizweb/top");
        assertThat(get(tls, "/bizweb/top").statusCode()).isEqualTo(200);
        assertThat(auditRows("CERTIFICATE_LOGIN", loginId)).isEqualTo(1);

        // A wrong password with the certificate is a wrong password (counted like BLGI001's).
        HttpClient other = TestCertificates.presenting(keys, certificate);
        String page = get(other, "/bizweb/login").body();
        assertThat(location(post(other, "/bizweb/login",
                Map.of("_csrf", first(CSRF, page), "certificate", "1", "password", "wrong-password")))).contains("error");

        // Renewal from the portal: a new key, the old certificate superseded.
        PortalClient portal = new PortalClient(url(""));
        clock.advance(Duration.ofSeconds(60));
        portal.logInWithOtp(loginId, "Password-1", device, clock);
        String renewPage = portal.confirmPage("/bizweb/certificate/renew", Map.of("serial", serial));
        KeyPair renewedKeys = TestCertificates.ecKeyPair();
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> renewed = portal.post("/bizweb/certificate/issue/sign",
                signForm(renewPage, loginId, device, TestCertificates.csr(renewedKeys, loginId, renewedKeys)));
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        X509Certificate renewedCertificate = TestCertificates.certificate(json(renewed.body()).get("certificate"));
        String renewedSerial = renewedCertificate.getSerialNumber().toString(16);
        assertThat(revocationReason(serial)).isEqualTo("SUPERSEDED");
        assertThat(auditRows("CERTIFICATE_RENEWED", loginId)).isEqualTo(1);
        assertThat(refusal(keys, certificate)).isEqualTo("REVOKED");

        // The master user revokes the renewed one (a lost PC), with a fresh OTP.
        String confirm = portal.confirmPage("/bizweb/certificate/company/revoke", Map.of("serial", renewedSerial));
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> revoked = portal.submit("/bizweb/certificate/company/execute", Map.of("action", "revoke",
                "transactionToken", first(TRANSACTION, confirm), "otp", device.codeAt(clock.instant())));
        assertThat(location(revoked)).endsWith("done=revoked");
        assertThat(revocationReason(renewedSerial)).isEqualTo("KEY_COMPROMISE");
        assertThat(auditRows("CERTIFICATE_REVOKED", loginId)).isEqualTo(1);
        assertThat(refusal(renewedKeys, renewedCertificate)).isEqualTo("REVOKED");

        // The CRL, signed by the CA, lists both.
        HttpResponse<byte[]> crlResponse = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url("/certificates/crl"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crlResponse.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crlResponse.body()));
        crl.verify(ca.getPublicKey());
        assertThat(crl.getRevokedCertificate(new BigInteger(serial, 16))).isNotNull();
        assertThat(crl.getRevokedCertificate(new BigInteger(renewedSerial, 16))).isNotNull();
        assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
    }

    @Test
    void expiredForeignAndNotAllowedCertificatesAreRefusedWithTheirReason() throws Exception {
        String loginId = prefix + "u";
        long master = data.masterUser(loginId, "Password-1", "期限 花子");
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), master);
        PortalClient browser = new PortalClient(url(""));
        String signPage = proveIdentity(browser, loginId, "Password-1");
        KeyPair keys = TestCertificates.ecKeyPair();
        Map<String, String> answer = json(browser.post("/bizweb/certificate/issue/sign",
                signForm(signPage, loginId, device, TestCertificates.csr(keys, loginId, keys))).body());
        X509Certificate certificate = TestCertificates.certificate(answer.get("certificate"));

        // Foreign: another CA's certificate naming the same login ID.
        KeyPair foreignKeys = TestCertificates.ecKeyPair();
        assertThat(refusal(foreignKeys, TestCertificates.foreignCertificate(foreignKeys, loginId))).isEqualTo("FOREIGN");

        // The master user allows this user ID and password only.
        jdbc.sql("UPDATE bizweb_user SET login_methods = 'PASSWORD' WHERE id = :id").param("id", master).update();
        assertThat(refusal(keys, certificate)).isEqualTo("NOT_ALLOWED");
        jdbc.sql("UPDATE bizweb_user SET login_methods = 'CERTIFICATE' WHERE id = :id").param("id", master).update();
        assertThat(location(browser.logIn(loginId, "Password-1"))).contains("/bizweb/certificate/refused?reason=CERTIFICATE_ONLY");
        jdbc.sql("UPDATE bizweb_user SET login_methods = 'BOTH' WHERE id = :id").param("id", master).update();

        // 30 days before the end, the top page says so (and not before).
        assertThat(new PortalClient(url("")).logInWithOtp(loginId, "Password-1", device, clock).get("/bizweb/top").body())
                .doesNotContain("id=\"certificate-expiring\"");
        clock.advance(Duration.ofDays(340));
        try {
            assertThat(new PortalClient(url("")).logInWithOtp(loginId, "Password-1", device, clock).get("/bizweb/top").body())
                    .contains("id=\"certificate-expiring\"");
        } finally {
            clock.advance(Duration.ofDays(-340));
        }

        // Expired by the application's clock (Tomcat's handshake does not look at the dates: optional_no_ca).
        clock.advance(Duration.ofDays(366));
        try {
            assertThat(refusal(keys, certificate)).isEqualTo("EXPIRED");
        } finally {
            clock.advance(Duration.ofDays(-366));
        }
        assertThat(auditRows("CERTIFICATE_LOGIN_REFUSED", null)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void malformedAndForeignRequestsAreRefusedAndNothingIsIssued() throws Exception {
        String loginId = prefix + "r";
        long master = data.masterUser(loginId, "Password-1", "要求 次郎");
        String victim = prefix + "v";
        data.colleague(master, victim, "Password-2", "別人", "GENERAL", false);
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), master);
        PortalClient browser = new PortalClient(url(""));
        String signPage = proveIdentity(browser, loginId, "Password-1");
        KeyPair keys = TestCertificates.ecKeyPair();

        Map<String, String> malformed = signForm(signPage, loginId, device, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
        HttpResponse<String> refusedMalformed = browser.post("/bizweb/certificate/issue/sign", malformed);
        assertThat(refusedMalformed.statusCode()).isEqualTo(422);
        assertThat(json(refusedMalformed.body()).get("message")).contains("PKCS#10");

        Map<String, String> otherSigner = signForm(signPage, loginId, device,
                TestCertificates.csr(keys, loginId, TestCertificates.ecKeyPair()));
        assertThat(browser.post("/bizweb/certificate/issue/sign", otherSigner).statusCode()).isEqualTo(422);

        Map<String, String> forSomeoneElse = signForm(signPage, loginId, device, TestCertificates.csr(keys, victim, keys));
        HttpResponse<String> refusedOther = browser.post("/bizweb/certificate/issue/sign", forSomeoneElse);
        assertThat(refusedOther.statusCode()).isEqualTo(422);
        assertThat(json(refusedOther.body()).get("formToken")).isNotBlank();

        // A wrong password never reaches the second step.
        PortalClient guesser = new PortalClient(url(""));
        String credentials = guesser.get("/bizweb/certificate/issue").body();
        HttpResponse<String> wrong = guesser.post("/bizweb/certificate/issue", Map.of("_csrf", first(CSRF, credentials),
                "loginId", loginId, "password", "not-the-password"));
        assertThat(wrong.body()).contains("certificate-issue-error").doesNotContain("certificate-sign");

        assertThat(certificatesOf(master)).isZero();
        assertThat(auditRows("CERTIFICATE_ISSUED", loginId)).isZero();
    }

    private String proveIdentity(PortalClient browser, String loginId, String password) {
        String page = browser.get("/bizweb/certificate/issue").body();
        HttpResponse<String> proven = browser.post("/bizweb/certificate/issue",
                Map.of("_csrf", first(CSRF, page), "loginId", loginId, "password", password));
        assertThat(proven.statusCode()).isEqualTo(200);
        assertThat(proven.body()).contains("id=\"certificate-sign\"");
        return proven.body();
    }

    private Map<String, String> signForm(String page, String loginId, TestTokenDevice device, String csr) {
        clock.advance(Duration.ofSeconds(60));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", first(CSRF, page));
        form.put("loginId", loginId);
        form.put("transactionToken", first(TRANSACTION, page));
        form.put("otp", device.codeAt(clock.instant()));
        form.put("csr", csr);
        return form;
    }

    /** Where a certificate login with {@code certificate} is sent: the refusal page's reason. */
    private String refusal(KeyPair keys, X509Certificate certificate) throws Exception {
        HttpClient tls = TestCertificates.presenting(keys, certificate);
        String page = get(tls, "/bizweb/login").body();
        assertThat(page).as(page.substring(Math.max(0, page.indexOf("certificate-panel")))).contains("id=\"certificate-refused\"");
        String target = location(post(tls, "/bizweb/login",
                Map.of("_csrf", first(CSRF, page), "certificate", "1", "password", "Password-1")));
        assertThat(target).contains("/bizweb/certificate/refused?reason=");
        String reason = target.substring(target.indexOf("reason=") + "reason=".length());
        assertThat(get(tls, "/bizweb/certificate/refused?reason=" + reason).body()).contains("certificate-refusal-todo");
        return reason;
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https.origin().orElseThrow() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient client, String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(URI.create(https.origin().orElseThrow() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a redirect, body: " + response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("pattern " + pattern).isTrue();
        return matcher.group(1);
    }

    /** The string fields of a flat JSON answer ({@code chain}'s single PEM included). */
    private static Map<String, String> json(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(body);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("\\n", "\n").replace("\\/", "/").replace("\\\"", "\""));
        }
        Matcher chain = Pattern.compile("\"chain\":\\[\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        if (chain.find()) {
            fields.put("chain", chain.group(1).replace("\\n", "\n"));
        }
        return fields;
    }

    private long certificatesOf(long userId) {
        return jdbc.sql("SELECT COUNT(*) FROM client_certificate WHERE user_id = :id").param("id", userId).query(Long.class).single();
    }

    private String revocationReason(String serial) {
        return jdbc.sql("SELECT revocation_reason FROM client_certificate WHERE serial = :serial").param("serial", serial)
                .query(String.class).single();
    }

    private long auditRows(String type, String loginId) {
        if (loginId == null) {
            return jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = :type").param("type", type).query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = :type AND subject = :subject")
                .param("type", type).param("subject", "user:" + loginId).query(Long.class).single();
    }
}
