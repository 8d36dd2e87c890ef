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

import io.kagi.activation.AnswerAuthentication;
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

/** Version 2 of the activation exchange over the real endpoints (docs/activation-protocol.md §4, §7). */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
class ActivationProtocolIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RFC_3339_MILLISECONDS = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

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
}
