package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * 取引認証 over real HTTP (docs/transaction-signing.md): a relying party asks for a signature of a
 * transfer, the token fetches it under its status key and approves it with the signature of what
 * it shows, or the user types the offline code; every refusal (another request, a changed payee or
 * amount, expired, reused) is told apart and wrong signatures count toward the lock.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
class TransactionSigningIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRANSFER = """
            {"purpose":"TRANSFER_APPROVAL","bank":"0005","branch":"123","accountType":"普通","accountNumber":"7654321",
             "holderName":"ｶ)ｻｸﾗｼﾖｳｼﾞ","amount":150000}""";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Services services;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    ServiceId service;
    String secret;
    TestTokenDevice device;
    String requests;

    @BeforeEach
    void activeToken() throws Exception {
        clock.advance(Duration.ofMinutes(10));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
        secret = services.newApiSecret(service, "operator:test");
        String token = "/api/v1/services/" + service + "/accounts/acme-1/token";
        HttpResponse<String> issued = post(token, "{\"mailAddress\":\"a1@example.jp\",\"activationPassword\":\"5555\"}");
        device = TestTokenDevice.activate(base(), service.digits(), JSON.readTree(issued.body()).get("userId").asString(), "5555");
        requests = token + "/signing-requests";
    }

    @Test
    void thePhoneSeesTheTransferApprovesWhatItShowsAndTheRelyingPartyCompletesItOnce() throws Exception {
        HttpResponse<String> created = post(requests, TRANSFER);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode request = JSON.readTree(created.body());
        String reference = request.get("reference").asString();
        assertThat(request.get("canonicalText").asString()).contains("account:7654321", "amount:150000", "purpose:振込承認");

        List<JsonNode> pending = device.pendingSignings(base());
        assertThat(pending).hasSize(1);
        JsonNode shown = pending.get(0);
        assertThat(shown.get("fields").get("account").asString()).isEqualTo("7654321");
        assertThat(shown.get("fields").get("amount").asString()).isEqualTo("150000");
        assertThat(shown.get("suite").asString()).isEqualTo("OCRA-1:HOTP-SHA256-8:QH64-T1M");
        assertThat(state(reference)).isEqualTo("PENDING");
        assertThat(complete(reference, null).statusCode()).as("not answered yet").isEqualTo(409);

        TestTokenDevice.Attempt approved = device.answerSigning(base(), reference, "approve",
                shown.get("canonicalText").asString(), clock.instant());
        assertThat(approved.status()).isEqualTo(200);
        assertThat(state(reference)).isEqualTo("APPROVED");
        assertThat(device.pendingSignings(base())).isEmpty();

        HttpResponse<String> signed = complete(reference, null);
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(signed.body()).get("by").asString()).isEqualTo("phone");
        assertThat(JSON.readTree(signed.body()).get("digest").asString()).isEqualTo(request.get("digest").asString());
        HttpResponse<String> again = complete(reference, null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(problem(again)).isEqualTo("signing-already-used");

        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'SIGNING_APPROVED_ON_PHONE' AND details LIKE :digest")
                .param("digest", "%" + request.get("digest").asString() + "%").query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void anApprovalSignedForAnotherTextIsRefusedAndCountedTowardTheLock() throws Exception {
        String reference = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();
        String shown = device.pendingSignings(base()).get(0).get("canonicalText").asString();

        TestTokenDevice.Attempt altered = device.answerSigning(base(), reference, "approve",
                shown.replace("amount:150000", "amount:15000"), clock.instant());
        assertThat(altered.status()).isEqualTo(422);
        assertThat(altered.problemCode()).isEqualTo("wrong-signature");
        assertThat(altered.attemptsLeft()).isEqualTo(4);
        assertThat(state(reference)).isEqualTo("PENDING");

        String other = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();
        TestTokenDevice.Attempt crossed = device.answerSigning(base(), other, "approve", shown, clock.instant());
        assertThat(crossed.problemCode()).as("the signature of another request's text").isEqualTo("wrong-signature");
        assertThat(crossed.attemptsLeft()).isEqualTo(3);
    }

    @Test
    void theOfflineCodeIsBoundToTheTypedAccountNumberAndAmount() throws Exception {
        String reference = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();

        HttpResponse<String> otherAccount = complete(reference, device.offlineCode("1234567", "150000", clock.instant()));
        assertThat(otherAccount.statusCode()).isEqualTo(422);
        assertThat(problem(otherAccount)).isEqualTo("wrong-signature");
        assertThat(JSON.readTree(otherAccount.body()).get("attemptsLeft").asInt()).isEqualTo(4);
        HttpResponse<String> otherAmount = complete(reference, device.offlineCode("7654321", "15000", clock.instant()));
        assertThat(JSON.readTree(otherAmount.body()).get("attemptsLeft").asInt()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(70));
        HttpResponse<String> signed = complete(reference, device.offlineCode("7654321", "150000", clock.instant()));
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(signed.body()).get("by").asString()).isEqualTo("code");
        assertThat(problem(complete(reference, device.offlineCode("7654321", "150000", clock.instant()))))
                .isEqualTo("signing-already-used");
    }

    @Test
    void aRequestExpiresAfterFiveMinutesAndARefusalOnThePhoneIsFinal() throws Exception {
        String denied = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();
        assertThat(device.answerSigning(base(), denied, "deny", "", clock.instant()).status()).isEqualTo(200);
        String expiring = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();
        assertThat(state(denied)).isEqualTo("DENIED");
        assertThat(problem(complete(denied, null))).isEqualTo("signing-denied");
        assertThat(problem(complete(denied, device.offlineCode("7654321", "150000", clock.instant()))))
                .isEqualTo("signing-denied");

        clock.advance(Duration.ofMinutes(5));
        assertThat(state(expiring)).isEqualTo("EXPIRED");
        HttpResponse<String> late = complete(expiring, device.offlineCode("7654321", "150000", clock.instant()));
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(problem(late)).isEqualTo("signing-expired");
        assertThat(device.pendingSignings(base())).isEmpty();
    }

    @Test
    void aNewRequestOfTheTokenSupersedesItsPendingOneSoThePhoneShowsOneAtATime() throws Exception {
        String first = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();
        String second = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();

        assertThat(state(first)).isEqualTo("SUPERSEDED");
        assertThat(device.pendingSignings(base())).extracting(request -> request.get("reference").asString())
                .containsExactly(second);
        assertThat(problem(complete(first, device.offlineCode("7654321", "150000", clock.instant()))))
                .isEqualTo("signing-expired");
    }

    @Test
    void aTokenWithoutItsStatusKeySeesNothingAndAnotherAccountCannotCompleteTheRequest() throws Exception {
        String reference = JSON.readTree(post(requests, TRANSFER).body()).get("reference").asString();
        HttpResponse<String> forged = postPlain("/api/v1/activation/signing/pending", """
                {"serviceId":"%s","userId":"%s","nonce":"00112233445566778899aabbccddeeff","proof":"%s"}"""
                .formatted(service.digits(), device.userId(), "ab".repeat(32)));
        assertThat(forged.statusCode()).isEqualTo(404);

        String otherAccount = "/api/v1/services/" + service + "/accounts/acme-2/token/signing-requests/" + reference;
        assertThat(get(otherAccount).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = post(requests, TRANSFER.replace("7654321", "76-54321"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(problem(bad)).isEqualTo("invalid-request");
    }

    private String state(String reference) throws Exception {
        return JSON.readTree(get(requests + "/" + reference).body()).get("state").asString();
    }

    private HttpResponse<String> complete(String reference, String code) throws Exception {
        return post(requests + "/" + reference + "/complete", code == null ? "{}" : "{\"code\":\"" + code + "\"}");
    }

    private static String problem(HttpResponse<String> response) {
        return JSON.readTree(response.body()).get("code").asString();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(authorised(HttpRequest.newBuilder(URI.create(base() + path)).GET()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(authorised(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postPlain(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder request) {
        return request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (service + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }
}
