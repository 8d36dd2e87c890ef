package io.kagi.tokencli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

import io.kagi.activation.ActivationProtocolException;
import io.kagi.activation.SrpClient;
import io.kagi.activation.TokenParameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Activates a token over the authority's REST activation endpoints
 * ({@code POST <server>/api/v1/activation/start} and {@code .../finish}, docs/activation-protocol.md
 * §4), exactly as the phone app does: the seed is derived here and never crosses the network.
 */
final class ActivationClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Clock clock;

    ActivationClient(URI server, Clock clock) {
        String text = server.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/").resolve("api/v1/activation/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.clock = clock;
    }

    /** What an activation came to. */
    sealed interface Outcome {
        record Activated(StoredToken token) implements Outcome {
        }

        /** The authority refused; {@code code} is the problem's code (docs §4), {@code attemptsLeft} or -1. */
        record Refused(int status, String code, int attemptsLeft, String retryAfter) implements Outcome {
        }

        /** The authority could not prove that it knows the verifier (M2 wrong): no seed was derived. */
        record ServerNotConfirmed() implements Outcome {
        }
    }

    Outcome activate(String serviceId, String userId, char[] password) throws IOException, InterruptedException {
        SrpClient client = new SrpClient(io.kagi.activation.Srp6a.identity(serviceId, userId), password);
        Arrays.fill(password, '\0');
        ObjectNode start = JSON.createObjectNode();
        start.put("serviceId", serviceId);
        start.put("userId", userId);
        start.put("A", client.clientPublicHex());
        Answer started = post("start", start);
        if (started.refused() != null) {
            return started.refused();
        }
        String m1;
        try {
            m1 = client.respond(started.body().path("salt").asString(), started.body().path("B").asString());
        } catch (ActivationProtocolException e) {
            throw new IOException("The authority sent a malformed answer: " + e.getMessage());
        }
        ObjectNode finish = JSON.createObjectNode();
        finish.put("sessionId", started.body().path("sessionId").asString());
        finish.put("M1", m1);
        Instant sentAt = clock.instant();
        Answer finished = post("finish", finish);
        Instant receivedAt = clock.instant();
        if (finished.refused() != null) {
            return finished.refused();
        }
        JsonNode answer = finished.body();
        if (!client.confirmsServer(answer.path("M2").asString())) {
            return new Outcome.ServerNotConfirmed();
        }
        JsonNode parameters = answer.path("tokenParameters");
        TokenParameters tokenParameters = new TokenParameters(parameters.path("algorithm").asString(),
                parameters.path("digits").asInt(), parameters.path("period").asInt());
        byte[] seed = client.deriveSeed(tokenParameters);
        long offset = 0;
        try {
            Instant serverTime = Instant.parse(answer.path("serverTime").asString());
            long middle = (sentAt.toEpochMilli() + receivedAt.toEpochMilli()) / 2;
            offset = serverTime.toEpochMilli() - middle;
        } catch (DateTimeParseException e) {
            offset = 0;
        }
        try {
            return new Outcome.Activated(new StoredToken(serviceId, userId, answer.path("serviceName").asString(serviceId),
                    tokenParameters, seed, offset, receivedAt));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private record Answer(JsonNode body, Outcome.Refused refused) {
    }

    private Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (JacksonException e) {
            json = JSON.createObjectNode();
        }
        if (response.statusCode() == 200) {
            return new Answer(json, null);
        }
        String code = json.path("code").asString(null);
        if (code == null) {
            String type = json.path("type").asString("");
            code = type.startsWith("urn:kagi:problem:") ? type.substring("urn:kagi:problem:".length()) : "http-" + response.statusCode();
        }
        return new Answer(null, new Outcome.Refused(response.statusCode(), code, json.path("attemptsLeft").asInt(-1),
                response.headers().firstValue("Retry-After").orElse(null)));
    }

    @Override
    public String toString() {
        return "ActivationClient[" + base + "]";
    }
}
