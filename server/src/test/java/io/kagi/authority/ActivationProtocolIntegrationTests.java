package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.PORTAL;
import static io.kagi.authority.AuthorityTestSupport.issue;
import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

import io.kagi.activation.AnswerAuthentication;
import io.kagi.activation.Srp6a;
import io.kagi.activation.SrpClient;
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

/**
 * Version 2 of the activation exchange over the real endpoints (docs/activation-protocol.md §4,
 * §7) and its limits (§8): token buckets shared through the database, per client address for
 * every start and per token only for wrong passwords, and the same answer for an activated
 * token's IDs as for unknown ones.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@TestPropertySource(properties = "kagi.authority.activation.per-address-per-hour=30")
class ActivationProtocolIntegrationTests {

    private static final String CARRIER_NAT = "198.51.100.7";
    private static final String OWNER = "203.0.113.9";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RFC_3339_MILLISECONDS = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Activations activations;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    ServiceId service;
    AccountRef account = new AccountRef("hanako02");

    @BeforeEach
    void freshService() {
        clock.advance(Duration.ofMinutes(10).plusMillis(1));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aVersionOneTokenIsToldToUpdateAndSpendsNothing() throws Exception {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");

        HttpResponse<String> versionOne = post("/api/v1/activation/start", "{\"serviceId\":\"" + service.digits()
                + "\",\"userId\":\"" + issued.userId().digits() + "\",\"A\":\"" + "0".repeat(511) + "2\"}");

        assertThat(versionOne.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(versionOne.body());
        assertThat(problem.get("code").asString()).isEqualTo("update-required");
        assertThat(problem.get("title").asString()).contains("update the app");
        assertThat(TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711")).isNotNull();
    }

    @Test
    void timesAreRfc3339InUtcWithMilliseconds() throws Exception {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");

        TestTokenDevice.Attempt attempt = TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        JsonNode started = JSON.readTree(attempt.transcript().get(1));
        JsonNode finished = JSON.readTree(attempt.body());
        assertThat(started.get("expiresAt").asString()).matches(RFC_3339_MILLISECONDS);
        assertThat(started.get("serverTime").asString()).isEqualTo(AnswerAuthentication.time(clock.instant()))
                .matches(RFC_3339_MILLISECONDS);
        assertThat(finished.get("serverTime").asString()).matches(RFC_3339_MILLISECONDS);
        assertThat(finished.get("MAC").asString()).matches("[0-9a-f]{64}");
    }

    @Test
    void theStatusAnswerTellsTheTokenItsStateUnderItsKey() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        TestTokenDevice device = TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711");
        assertThat(device.askState(baseUrl())).isEqualTo("active");

        tokens.revoke(service, account, PORTAL);

        assertThat(device.askState(baseUrl())).isEqualTo("revoked");
    }

    @Test
    void aTokenReplacedByAReissueIsToldSo() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        TestTokenDevice device = TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        issue(tokens, service, account, "4712");

        assertThat(device.askState(baseUrl())).isEqualTo("replaced");
    }

    @Test
    void aWrongProofAndAnUnknownUserGetTheSameAnswer() throws Exception {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711");
        String request = "{\"serviceId\":\"" + service.digits() + "\",\"userId\":\"%s\",\"nonce\":\"" + "ab".repeat(16)
                + "\",\"proof\":\"" + "cd".repeat(32) + "\"}";
        String unknownUser = issued.userId().digits().equals("000000") ? "000001" : "000000";

        HttpResponse<String> wrongProof = post("/api/v1/activation/status", request.formatted(issued.userId().digits()));
        HttpResponse<String> unknown = post("/api/v1/activation/status", request.formatted(unknownUser));

        assertThat(wrongProof.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
        assertThat(wrongProof.body()).isEqualTo(unknown.body());
    }

    private Activations.StartOutcome start(IssueResult.Issued issued, String address) {
        SrpClient client = new SrpClient(Srp6a.identity(service.digits(), issued.userId().digits()), "7531".toCharArray());
        return activations.start(AnswerAuthentication.PROTOCOL, service.digits(), issued.userId().digits(),
                client.clientPublicHex(), address);
    }

    @Test
    void theAddressLimitHoldsAcrossAnHourBoundary() {
        Instant nextHour = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        clock.advance(Duration.between(clock.instant(), nextHour.minusSeconds(1)));
        IssueResult.Issued issued = issue(tokens, service, new AccountRef("nat-1"), "7531");
        for (int i = 0; i < 30; i++) {
            assertThat(start(issued, CARRIER_NAT)).isInstanceOf(Activations.StartOutcome.Started.class);
        }
        assertThat(start(issued, CARRIER_NAT)).isInstanceOf(Activations.StartOutcome.Refused.class);

        clock.advance(Duration.ofSeconds(2));
        Activations.StartOutcome afterTheHour = start(issued, CARRIER_NAT);

        assertThat(afterTheHour).as("a new clock hour does not refill the allowance")
                .isInstanceOf(Activations.StartOutcome.Refused.class);
        Activations.StartOutcome.Refused refused = (Activations.StartOutcome.Refused) afterTheHour;
        assertThat(refused.problem()).isEqualTo(ActivationProblem.TOO_MANY_REQUESTS);
        assertThat(refused.retryAfterSeconds()).isBetween(100L, 120L);
        clock.advance(Duration.ofSeconds(refused.retryAfterSeconds() + 1));
        assertThat(start(issued, CARRIER_NAT)).as("one start back after an hour's 30th").isInstanceOf(Activations.StartOutcome.Started.class);
        assertThat(start(issued, CARRIER_NAT)).isInstanceOf(Activations.StartOutcome.Refused.class);
    }

    @Test
    void startsFromABusyCarrierAddressDoNotBlockTheOwnersActivation() {
        IssueResult.Issued issued = issue(tokens, service, new AccountRef("nat-2"), "7531");
        for (int i = 0; i < 40; i++) {
            start(issued, CARRIER_NAT);
        }
        assertThat(start(issued, CARRIER_NAT)).isInstanceOf(Activations.StartOutcome.Refused.class);

        SrpClient owner = new SrpClient(Srp6a.identity(service.digits(), issued.userId().digits()), "7531".toCharArray());
        Activations.StartOutcome started = activations.start(AnswerAuthentication.PROTOCOL, service.digits(),
                issued.userId().digits(), owner.clientPublicHex(), OWNER);

        assertThat(started).isInstanceOf(Activations.StartOutcome.Started.class);
        Activations.StartOutcome.Started challenge = (Activations.StartOutcome.Started) started;
        String proof = owner.respond(challenge.salt(), challenge.serverPublic());
        assertThat(activations.finish(challenge.sessionId(), proof, OWNER))
                .isInstanceOf(Activations.FinishOutcome.Activated.class);
    }

    @Test
    void anActivatedTokensIdsAnswerStartLikeUnknownIds() throws Exception {
        IssueResult.Issued issued = issue(tokens, service, new AccountRef("enum-1"), "7531");
        TestTokenDevice.activate("http://localhost:" + port, service.digits(), issued.userId().digits(), "7531");
        String unknown = issued.userId().digits().equals("000000") ? "000001" : "000000";
        String body = "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"" + service.digits() + "\",\"userId\":\"%s\",\"A\":\""
                + "0".repeat(511) + "2\"}";

        long[] activeNanos = new long[9];
        long[] unknownNanos = new long[9];
        HttpResponse<String> active = null;
        HttpResponse<String> none = null;
        for (int i = 0; i < activeNanos.length; i++) {
            long begin = System.nanoTime();
            active = post("/api/v1/activation/start", body.formatted(issued.userId().digits()));
            activeNanos[i] = System.nanoTime() - begin;
            begin = System.nanoTime();
            none = post("/api/v1/activation/start", body.formatted(unknown));
            unknownNanos[i] = System.nanoTime() - begin;
        }

        assertThat(active.statusCode()).isEqualTo(404).isEqualTo(none.statusCode());
        assertThat(active.body()).isEqualTo(none.body());
        Arrays.sort(activeNanos);
        Arrays.sort(unknownNanos);
        System.out.printf(Locale.ROOT, "MEASURED activation/start median: activated token's IDs %.1f ms, unknown IDs %.1f ms%n",
                activeNanos[4] / 1e6, unknownNanos[4] / 1e6);
    }
}
