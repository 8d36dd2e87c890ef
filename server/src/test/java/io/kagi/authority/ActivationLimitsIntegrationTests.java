package io.kagi.authority;

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

/**
 * The activation limits (docs/activation-protocol.md §8): token buckets shared through the
 * database, per client address for every start and per token only for wrong passwords, and the
 * same answer for an activated token's IDs as for unknown ones.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@TestPropertySource(properties = "kagi.authority.activation.per-address-per-hour=30")
class ActivationLimitsIntegrationTests {

    private static final String CARRIER_NAT = "198.51.100.7";
    private static final String OWNER = "203.0.113.9";

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

    @BeforeEach
    void freshService() {
        clock.advance(Duration.ofMinutes(10));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
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
            active = post(body.formatted(issued.userId().digits()));
            activeNanos[i] = System.nanoTime() - begin;
            begin = System.nanoTime();
            none = post(body.formatted(unknown));
            unknownNanos[i] = System.nanoTime() - begin;
        }

        assertThat(active.statusCode()).isEqualTo(404).isEqualTo(none.statusCode());
        assertThat(active.body()).isEqualTo(none.body());
        Arrays.sort(activeNanos);
        Arrays.sort(unknownNanos);
        System.out.printf(Locale.ROOT, "MEASURED activation/start median: activated token's IDs %.1f ms, unknown IDs %.1f ms%n",
                activeNanos[4] / 1e6, unknownNanos[4] / 1e6);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/activation/start"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
