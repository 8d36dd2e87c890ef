package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kagi.authority.ServiceId;
import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.test.KagiIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Fuzz test (Jazzer) of the REST API's JSON over real HTTP: the token app's activation endpoints
 * and a relying party's issue and verify. Whatever the body, the answer is never a server error,
 * a 4xx is an RFC 9457 problem, and no answer shows an exception or a stack trace.
 *
 * <p>The normal build replays {@code src/test/resources/io/kagi/security/ApiJsonFuzzTestsInputs/api/}
 * (a JSON body followed by one byte that chooses the endpoint). A fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl server -am test -Dtest='ApiJsonFuzzTests' -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m}.
 */
@KagiIntegrationTest
class ApiJsonFuzzTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static volatile String service;
    private static volatile String secret;

    @LocalServerPort
    int port;

    @Autowired
    Services services;

    @FuzzTest(maxDuration = "20s")
    void api(FuzzedDataProvider data) throws Exception {
        ensureService();
        int endpoint = data.consumeInt(0, 5);
        String body = data.consumeRemainingAsString();
        String path = switch (endpoint) {
            case 0 -> "/api/v1/activation/start";
            case 1 -> "/api/v1/activation/finish";
            case 2 -> "/api/v1/services/" + service + "/accounts/fuzz-1/token";
            case 3 -> "/api/v1/services/" + service + "/accounts/fuzz-1/token/verify";
            case 4 -> "/api/v1/services/" + service + "/accounts/fuzz-2/token/revoke";
            default -> "/api/v1/services/" + service + "/accounts/fuzz-1/token/unlock";
        };
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Basic " + Base64.getEncoder()
                                .encodeToString((service + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("%s %s", path, response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "io.kagi.", "org.springframework.");
    }

    private void ensureService() {
        if (service == null) {
            synchronized (ApiJsonFuzzTests.class) {
                if (service == null) {
                    ServiceId id;
                    do {
                        id = new ServiceId(String.valueOf(ThreadLocalRandom.current().nextInt(20_000_000, 100_000_000)));
                    } while (services.nameOf(id).isPresent());
                    services.register(id, "ファズ", ServicePolicy.defaults());
                    secret = services.newApiSecret(id, "operator:fuzz");
                    io.kagi.test.TestSecrets.register(secret);
                    service = id.digits();
                }
            }
        }
    }
}
