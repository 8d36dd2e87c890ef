package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The REST API of relying parties and of the token app, over real HTTP. */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@TestPropertySource(properties = "kagi.authority.activation.per-address-per-hour=30")
class ServiceApiIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    @BeforeEach
    void freshService() {
        clock.advance(Duration.ofMinutes(10));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
        secret = services.newApiSecret(service, "operator:test");
    }

    @Test
    void aRelyingPartyIssuesVerifiesLocksUnlocksAndRevokesOverRest() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-7/token";

        HttpResponse<String> issued = post(token, "{\"mailAddress\":\"u7@example.jp\",\"activationPassword\":\"5555\"}", secret);
        assertThat(issued.statusCode()).isEqualTo(201);
        String userId = JSON.readTree(issued.body()).get("userId").asString();
        assertThat(status(token).get("state").asString()).isEqualTo("ISSUED");

        TestTokenDevice device = TestTokenDevice.activate(base(), service.digits(), userId, "5555");
        assertThat(status(token).get("state").asString()).isEqualTo("ACTIVE");

        HttpResponse<String> accepted = post(token + "/verify", "{\"code\":\"" + device.codeAt(clock.instant()) + "\"}", secret);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(accepted.body()).get("result").asString()).isEqualTo("accepted");

        HttpResponse<String> replayed = post(token + "/verify", "{\"code\":\"" + device.codeAt(clock.instant()) + "\"}", secret);
        assertThat(replayed.statusCode()).isEqualTo(422);
        assertThat(replayed.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(replayed.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:kagi:problem:code-already-used");
        assertThat(problem.get("attemptsLeft").asInt()).as("a used code is not counted").isEqualTo(5);

        HttpResponse<String> wrong = post(token + "/verify", "{\"code\":\"abc\"}", secret);
        assertThat(JSON.readTree(wrong.body()).get("type").asString()).isEqualTo("urn:kagi:problem:wrong-code");
        assertThat(JSON.readTree(wrong.body()).get("attemptsLeft").asInt()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            post(token + "/verify", "{\"code\":\"abc\"}", secret);
        }
        HttpResponse<String> locked = post(token + "/verify", "{\"code\":\"" + device.nextCodeAfter(clock.instant()) + "\"}", secret);
        assertThat(locked.statusCode()).isEqualTo(423);
        assertThat(JSON.readTree(locked.body()).get("code").asString()).isEqualTo("token-locked");

        assertThat(post(token + "/unlock", "", secret).statusCode()).isEqualTo(204);
        assertThat(post(token + "/unlock", "", secret).statusCode()).isEqualTo(409);
        assertThat(post(token + "/verify", "{\"code\":\"" + device.nextCodeAfter(clock.instant()) + "\"}", secret).statusCode())
                .isEqualTo(200);

        assertThat(post(token + "/revoke", "", secret).statusCode()).isEqualTo(204);
        assertThat(status(token).get("state").asString()).isEqualTo("REVOKED");
        HttpResponse<String> coolingOff = post(token, "{\"mailAddress\":\"u7@example.jp\",\"activationPassword\":\"5555\"}", secret);
        assertThat(coolingOff.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(coolingOff.body()).get("code").asString()).isEqualTo("cooling-off");
    }

    @Test
    void aPendingTokenIsVoidedOverRest() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-8/token";
        post(token, "{\"mailAddress\":\"u8@example.jp\",\"activationPassword\":\"5555\"}", secret);

        assertThat(post(token + "/void", "", secret).statusCode()).isEqualTo(204);

        assertThat(status(token).get("state").asString()).isEqualTo("VOIDED");
        HttpResponse<String> verify = post(token + "/verify", "{\"code\":\"123456\"}", secret);
        assertThat(verify.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(verify.body()).get("state").asString()).isEqualTo("VOIDED");
    }

    @Test
    void aRotatedApiSecretKeepsWorkingForTheGracePeriodBesideTheNewOneThenStops() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-10/token";
        assertThat(get(token, secret).statusCode()).isEqualTo(404);

        String second = services.newApiSecret(service, "operator:test");
        assertThat(get(token, second).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(get(token, secret).statusCode()).isEqualTo(404);
        assertThat(get(token, second).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(1));
        assertThat(get(token, secret).statusCode()).isEqualTo(401);
        assertThat(get(token, second).statusCode()).isEqualTo(404);

        // A second rotation during a grace period drops the secret replaced first at once.
        String third = services.newApiSecret(service, "operator:test");
        String fourth = services.newApiSecret(service, "operator:test");
        assertThat(get(token, second).statusCode()).isEqualTo(401);
        assertThat(get(token, third).statusCode()).isEqualTo(404);
        assertThat(get(token, fourth).statusCode()).isEqualTo(404);
    }

    @Test
    void aSecretChangedInTheDatabaseByAnotherNodeReachesThisNodeWithinSeconds() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-11/token";
        assertThat(get(token, secret).statusCode()).isEqualTo(404);

        // Another node changes the secret in the database: this node trusts the hash it read for a few seconds.
        String other = "other-secret-" + System.nanoTime();
        jdbc.sql("UPDATE authority_service SET api_secret_hash = :hash WHERE service_id = :service")
                .param("hash", "sha256:" + HexFormat.of().formatHex(MessageDigest
                        .getInstance("SHA-256").digest(other.getBytes(StandardCharsets.UTF_8))))
                .param("service", service.digits())
                .update();
        assertThat(get(token, secret).statusCode()).isEqualTo(404);
        clock.advance(Services.CACHE_TTL);
        assertThat(get(token, secret).statusCode()).isEqualTo(401);
        assertThat(get(token, other).statusCode()).isEqualTo(404);
    }

    @Test
    void aSuspendedServiceIsRefusedWith403EvenWithItsRightSecretAndItsPendingTokensCannotBeActivated() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-12/token";
        HttpResponse<String> issued = post(token, "{\"mailAddress\":\"u12@example.jp\",\"activationPassword\":\"5555\"}", secret);
        assertThat(issued.statusCode()).isEqualTo(201);
        String userId = JSON.readTree(issued.body()).get("userId").asString();

        assertThat(services.suspend(service, new ClientInfo("operator:test", null))).isTrue();

        HttpResponse<String> refused = get(token, secret);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("code").asString()).isEqualTo("service-suspended");
        assertThat(post(token + "/verify", "{\"code\":\"123456\"}", secret).statusCode()).isEqualTo(403);
        assertThat(get(token, "wrong").statusCode()).isEqualTo(401);
        assertThat(TestTokenDevice.attempt(base(), service.digits(), userId, "5555").status()).isNotEqualTo(200);

        assertThat(services.resume(service, new ClientInfo("operator:test", null))).isTrue();
        assertThat(status(token).get("state").asString()).isEqualTo("VOIDED");
    }

    @Test
    void aServiceNeedsItsSecretAndSeesOnlyItsOwnAccounts() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-9/token";
        ServiceId other = newService(services, ServicePolicy.defaults());
        String otherSecret = services.newApiSecret(other, "operator:test");

        assertThat(get(token, null).statusCode()).isEqualTo(401);
        assertThat(get(token, "wrong").statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + token)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((other + ":" + secret).getBytes(StandardCharsets.UTF_8))).GET())
                .statusCode()).isEqualTo(401);
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(URI.create(base() + token)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((other + ":" + otherSecret).getBytes(StandardCharsets.UTF_8))).GET());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(get(token, secret).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get(token, secret).body()).get("code").asString()).isEqualTo("no-token");
        assertThat(get("/api/v1/services/" + service, secret).body()).contains("\"otpAtLogin\":true", "\"digits\":6");
    }

    @Test
    void portalLoginsAreNoApiCredentials() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/services/" + service))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("taro01:password".getBytes(StandardCharsets.UTF_8)))
                .GET());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void malformedActivationRequestsAreProblems() throws Exception {
        HttpResponse<String> start = post("/api/v1/activation/start", "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"1\",\"userId\":\"2\",\"A\":\"00\"}", null);
        HttpResponse<String> zero = post("/api/v1/activation/start",
                "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"" + service + "\",\"userId\":\"000000\",\"A\":\"" + "0".repeat(512) + "\"}", null);
        HttpResponse<String> finish = post("/api/v1/activation/finish", "{\"sessionId\":\"nothing\",\"M1\":\"" + "ab".repeat(32) + "\"}", null);
        HttpResponse<String> garbage = post("/api/v1/activation/finish", "not json", null);

        assertThat(start.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(start.body()).get("code").asString()).isEqualTo("invalid-request");
        assertThat(zero.statusCode()).as("A = 0 is refused").isEqualTo(400);
        assertThat(finish.statusCode()).isEqualTo(410);
        assertThat(JSON.readTree(finish.body()).get("code").asString()).isEqualTo("activation-session-expired");
        assertThat(garbage.statusCode()).isEqualTo(400);
    }

    @Test
    void bareActivationStartsDoNotUseUpTheOwnersAllowance() throws Exception {
        String token = "/api/v1/services/" + service + "/accounts/user-10/token";
        String userId = JSON.readTree(post(token, "{\"mailAddress\":\"u@example.jp\",\"activationPassword\":\"5555\"}", secret)
                .body()).get("userId").asString();
        String body = "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"" + service + "\",\"userId\":\"" + userId + "\",\"A\":\""
                + new io.kagi.activation.SrpClient(io.kagi.activation.Srp6a.identity(service.digits(), userId), "5555".toCharArray())
                .clientPublicHex() + "\"}";

        for (int i = 0; i < 12; i++) {
            assertThat(post("/api/v1/activation/start", body, null).statusCode()).isEqualTo(200);
        }

        assertThat(TestTokenDevice.attempt(base(), service.digits(), userId, "5555").status())
                .as("twelve starts that never reached a password check left the owner's allowance").isEqualTo(200);
    }

    @Test
    void activationStartsAreLimitedPerClientAddress() throws Exception {
        String body = "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"" + service + "\",\"userId\":\"%s\",\"A\":\"" + "0".repeat(511) + "2\"}";

        for (int i = 0; i < 30; i++) {
            assertThat(post("/api/v1/activation/start", body.formatted(String.format("%06d", i)), null).statusCode())
                    .isEqualTo(404);
        }
        HttpResponse<String> limited = post("/api/v1/activation/start", body.formatted("000031"), null);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'ACTIVATION_RATE_LIMITED'").query(Long.class).single())
                .isPositive();
    }

    @Test
    void theOpenApiDescriptionIsServed() throws Exception {
        HttpResponse<String> description = get("/api/openapi", null);

        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.body()).contains("/api/v1/activation/start", "/api/v1/activation/finish",
                "/api/v1/services/{serviceId}/accounts/{account}/token/verify");
    }

    private JsonNode status(String path) throws Exception {
        return JSON.readTree(get(path, secret).body());
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> get(String path, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        return send(authorised(request, password));
    }

    private HttpResponse<String> post(String path, String body, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(authorised(request, password));
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder request, String password) {
        if (password != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (service + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
