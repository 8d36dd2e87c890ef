package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import io.kagi.authority.ServiceId;
import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every error answer of the REST API is an RFC 9457 problem ({@code application/problem+json} with
 * type, title and status), whatever produced it: the controllers, Spring MVC (wrong content type,
 * method, Accept), Spring Security (no or wrong credentials), the body limits or the container;
 * and no input is a server error.
 */
@KagiIntegrationTest
class ApiErrorAnswersIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERIFY = "{\"code\":\"123456\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Services services;

    @Autowired
    JdbcClient jdbc;

    String service;
    String secret;

    @BeforeEach
    void freshService() {
        ServiceId id;
        do {
            id = new ServiceId(String.valueOf(ThreadLocalRandom.current().nextInt(20_000_000, 100_000_000)));
        } while (services.nameOf(id).isPresent());
        services.register(id, "エッジ", ServicePolicy.defaults());
        secret = services.newApiSecret(id, "operator:test");
        io.kagi.test.TestSecrets.register(secret);
        service = id.digits();
    }

    static Stream<Arguments> contentTypes() {
        return Stream.of(Arguments.of((Object) null), Arguments.of("text/plain"), Arguments.of("application/yaml"),
                Arguments.of("application/xml"), Arguments.of("multipart/form-data; boundary=x"),
                Arguments.of("application/x-www-form-urlencoded"), Arguments.of("application/vnd.kagi+json"));
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void onlyJsonBodiesAreTaken(String contentType) throws Exception {
        String yaml = "code: '123456'\n";
        for (String path : List.of(verifyPath(), "/api/v1/activation/start", "/api/v1/activation/finish", tokenPath())) {
            HttpResponse<String> response = send(post(path, yaml, contentType).header("Authorization", basic(service, secret)));

            assertProblem(response, 415, path + " " + contentType);
        }
    }

    @Test
    void jsonWithACharsetIsTaken() throws Exception {
        HttpResponse<String> response = send(post(verifyPath(), VERIFY, "application/json; charset=UTF-8")
                .header("Authorization", basic(service, secret)));

        assertThat(response.statusCode()).as("no token yet: a problem of the API, not of the content type").isEqualTo(409);
        assertProblem(response, 409, "json;charset");
    }

    @Test
    void missingMalformedAndWrongCredentialsAre401ProblemsWithTheBasicChallenge() throws Exception {
        List<String> authorizations = List.of("", "Basic", "Basic !!!not-base64!!!", "Basic " + b64("no-colon"),
                basic(service, "wrong-secret"), basic("99999999", secret), basic("not-a-service", secret),
                "Bearer abc.def.ghi", basic(service, secret + "\u0000"));
        for (String authorization : authorizations) {
            HttpRequest.Builder request = post(verifyPath(), VERIFY, "application/json");
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = send(request);

            assertProblem(response, 401, "Authorization: " + authorization);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(authorization)
                    .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic realm=\"kagi\""));
        }
    }

    @Test
    void anotherServicesAccountsAreA403Problem() throws Exception {
        HttpResponse<String> response = send(post("/api/v1/services/12345678/accounts/a/token/verify", VERIFY,
                "application/json").header("Authorization", basic(service, secret)));

        assertProblem(response, 403, "foreign");
    }

    @Test
    void wrongMethodsPathsAndAcceptAreProblems() throws Exception {
        HttpResponse<String> method = send(HttpRequest.newBuilder(uri("/api/v1/activation/start")).GET());
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri(verifyPath()))
                .header("Authorization", basic(service, secret)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(VERIFY)));
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/api/v1/activation/nothing-here")).GET());
        HttpResponse<String> xml = send(HttpRequest.newBuilder(uri("/api/v1/services/" + service))
                .header("Authorization", basic(service, secret)).header("Accept", "application/xml").GET());
        HttpResponse<String> traversal = send(HttpRequest.newBuilder(
                uri("/api/v1/services/" + service + "/accounts/%2e%2e/token")).header("Authorization", basic(service, secret)).GET());

        assertProblem(method, 405, "GET start");
        assertThat(method.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
        assertProblem(put, 405, "PUT verify");
        assertProblem(missing, 404, "no such path");
        assertProblem(xml, 406, "Accept: application/xml");
        assertThat(traversal.statusCode()).as("an encoded dot segment").isBetween(400, 499);
        assertProblem(traversal, traversal.statusCode(), "encoded dot segment");
    }

    @Test
    void malformedJsonEmptyBodiesAndWrongTypesAre400Problems() throws Exception {
        for (String body : List.of("", "{", "[]", "null", "{\"code\":{\"a\":1}}", "{\"code\":\"1\"", "\u0000")) {
            HttpResponse<String> response = send(post(verifyPath(), body, "application/json")
                    .header("Authorization", basic(service, secret)));

            assertThat(response.statusCode()).as(body).isBetween(400, 499);
            assertProblem(response, response.statusCode(), body);
        }
    }

    /**
     * A body declared at 50 MB is refused before it is read. Sent over a raw socket that writes the
     * headers and 1 KB and then reads: a client still writing the 50 MB would race the server's close
     * (a connection reset before the answer is read, as java.net.http sometimes saw on a busy machine).
     */
    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
        long fiftyMegabytes = 50L * 1024 * 1024;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/activation/start HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + fiftyMegabytes + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(("{\"a\":\"" + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);

            assertThat(answer).as("50 MB with Content-Length").startsWith("HTTP/1.1 413")
                    .containsIgnoringCase("Content-Type: application/problem+json");
        }
    }

    /**
     * A chunked body (no Content-Length) is refused once it passes the limit. Sent over a raw socket
     * that stops after 20 KB and then reads: a client still writing 50 MB would see the connection
     * reset by the server's close before it reads the answer.
     */
    @Test
    void aChunkedBodyIsCutOffAtTheLimit() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/activation/start HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("{\"a\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 20; i++) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("Content-Type: application/problem+json");
        }
    }

    @Test
    void aLargeFieldWithinTheLimitIsAnAnswerNotAnError() throws Exception {
        String longAddress = "a".repeat(10_000) + "@example.jp";
        HttpResponse<String> response = send(post(tokenPath(), "{\"mailAddress\":\"" + longAddress
                + "\",\"activationPassword\":\"1234\"}", "application/json").header("Authorization", basic(service, secret)));

        assertProblem(response, 400, "10 KB mail address");
    }

    @Test
    void aLongButValidLanguageTagIsReducedToLanguageAndRegion() throws Exception {
        HttpResponse<String> issued = send(post(tokenPath(), "{\"mailAddress\":\"u@example.jp\",\"activationPassword\":\"1234\","
                + "\"locale\":\"ja-JP-u-ca-japanese-nu-jpanfin\"}", "application/json").header("Authorization", basic(service, secret)));
        HttpResponse<String> english = send(post("/api/v1/services/" + service + "/accounts/edge-2/token",
                "{\"mailAddress\":\"v@example.jp\",\"activationPassword\":\"1234\",\"locale\":\"en-GB-x-private-use-tag\"}",
                "application/json").header("Authorization", basic(service, secret)));
        HttpResponse<String> malformed = send(post("/api/v1/services/" + service + "/accounts/edge-3/token",
                "{\"mailAddress\":\"w@example.jp\",\"activationPassword\":\"1234\",\"locale\":\"not a tag!\"}",
                "application/json").header("Authorization", basic(service, secret)));

        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        assertThat(english.statusCode()).as(english.body()).isEqualTo(201);
        assertThat(jdbc.sql("""
                        SELECT t.locale FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                        JOIN authority_service s ON s.id = a.service_fk
                        WHERE s.service_id = :service ORDER BY t.id""")
                .param("service", service).query(String.class).list()).containsExactly("ja-JP", "en-GB");
        assertProblem(malformed, 400, "malformed locale");
    }

    private void assertProblem(HttpResponse<String> response, int status, String what) throws Exception {
        assertThat(response.statusCode()).as("%s: %s", what, response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(what)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
        assertThat(problem.get("type").asString()).as(what).startsWith("urn:kagi:problem:");
        assertThat(problem.get("title").asString()).as(what).isNotBlank();
        assertThat(response.body()).as(what).doesNotContain("Exception", "\tat ", "org.springframework", "io.kagi.");
    }

    private String verifyPath() {
        return "/api/v1/services/" + service + "/accounts/edge-1/token/verify";
    }

    private String tokenPath() {
        return "/api/v1/services/" + service + "/accounts/edge-1/token";
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest.Builder post(String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + b64(user + ":" + password);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
