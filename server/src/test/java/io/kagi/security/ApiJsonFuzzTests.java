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

import com.code_intelligence.jazzer.api.BugDetectors;
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
 * <p>{@link #edges} fuzzes the rest of the request as well: its content type (none, JSON, text,
 * YAML, XML, multipart, form), its credentials (right, none, malformed, wrong secret, unknown
 * service) and its size (the body repeated up to 2,000 times: bodies and fields beyond the 16 KB
 * limit); every answer is still a problem or a success, never a server error, and a body over the
 * limit is a 413 problem (or, when the server closed the connection while the client was still
 * sending it, no answer).
 *
 * <p>The normal build replays {@code src/test/resources/io/kagi/security/ApiJsonFuzzTestsInputs/api/}
 * (a JSON body followed by one byte that chooses the endpoint) and {@code …/edges/} (a body unit,
 * then two bytes for the repetitions, one for the credentials, one for the content type and one
 * for the endpoint: Jazzer takes numbers from the end). A fuzzing run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl server -am test -Dtest='ApiJsonFuzzTests' -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m}.
 */
@KagiIntegrationTest
class ApiJsonFuzzTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static volatile String service;

    /**
     * In fuzzing mode Jazzer's SSRF detector flags every connection; the harness talks to the server
     * under test over loopback, which is no finding. Set at the start of each run (the detector
     * is only there once the fuzzer runs); it stays for all threads.
     */
    private static void loopbackOnly() {
        BugDetectors.allowNetworkConnections((host, port) -> "127.0.0.1".equals(host) || "localhost".equals(host)
                || "::1".equals(host) || "0:0:0:0:0:0:0:1".equals(host));
    }

    private static volatile String secret;

    @LocalServerPort
    int port;

    @Autowired
    Services services;

    @FuzzTest(maxDuration = "20s")
    void api(FuzzedDataProvider data) throws Exception {
        loopbackOnly();
        ensureService();
        int endpoint = data.consumeInt(0, 5);
        String body = data.consumeRemainingAsString();
        String path = path(endpoint);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("Authorization", basic(service, secret))
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

    @FuzzTest(maxDuration = "20s")
    void edges(FuzzedDataProvider data) throws Exception {
        loopbackOnly();
        ensureService();
        String path = path(data.consumeInt(0, 5));
        String contentType = switch (data.consumeInt(0, 7)) {
            case 0 -> null;
            case 1 -> "application/json";
            case 2 -> "application/json; charset=UTF-8";
            case 3 -> "text/plain";
            case 4 -> "application/yaml";
            case 5 -> "application/xml";
            case 6 -> "multipart/form-data; boundary=kagi";
            default -> "application/x-www-form-urlencoded";
        };
        String authorization = switch (data.consumeInt(0, 4)) {
            case 0 -> basic(service, secret);
            case 1 -> null;
            case 2 -> "Basic !!!" + service;
            case 3 -> basic(service, secret + "x");
            default -> basic("00000000", secret);
        };
        int repetitions = data.consumeInt(1, 2000);
        String unit = data.consumeRemainingAsString();
        String body = unit.repeat(Math.min(repetitions, 200_000 / Math.max(1, unit.length())));
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException closed) {
            assertThat(length).as("only a body over the limit may find the connection closed: %s", closed)
                    .isGreaterThan(16 * 1024);
            return;
        }

        assertThat(response.statusCode()).as("%s %s %s", path, contentType, response.body()).isLessThan(500);
        if (length > 16 * 1024) {
            assertThat(response.statusCode()).as("%d bytes to %s", length, path).isEqualTo(413);
        }
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).as("%s %s", path, contentType).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).contains("\"type\":\"urn:kagi:problem:", "\"status\":" + response.statusCode());
        }
        if (response.statusCode() == 401) {
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Basic realm=\"kagi\""));
        }
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "io.kagi.", "org.springframework.");
    }

    private String path(int endpoint) {
        return switch (endpoint) {
            case 0 -> "/api/v1/activation/start";
            case 1 -> "/api/v1/activation/finish";
            case 2 -> "/api/v1/services/" + service + "/accounts/fuzz-1/token";
            case 3 -> "/api/v1/services/" + service + "/accounts/fuzz-1/token/verify";
            case 4 -> "/api/v1/services/" + service + "/accounts/fuzz-2/token/revoke";
            default -> "/api/v1/services/" + service + "/accounts/fuzz-1/token/unlock";
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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
