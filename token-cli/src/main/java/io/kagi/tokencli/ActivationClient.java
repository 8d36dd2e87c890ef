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
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

import io.kagi.activation.ActivationProtocolException;
import io.kagi.activation.AnswerAuthentication;
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

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A status answer is a convenience: {@code code} does not wait longer than this for it. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

    private final URI server;
    private final URI base;
    private final HttpClient http;
    private final Clock clock;

    ActivationClient(URI server, Clock clock) {
        this.server = server;
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

        /** The finish answer's MAC does not cover what arrived (altered in transit): nothing is kept. */
        record AnswerNotAuthentic() implements Outcome {
        }

        /**
         * This computer's clock is further than {@link AnswerAuthentication#MAX_CLOCK_OFFSET} from the
         * authority's; {@code afterFinish} when only the finish answer showed it (the token is then
         * active at the authority but kept nowhere), else nothing was spent.
         */
        record ClockOff(long offsetMillis, boolean afterFinish) implements Outcome {
        }
    }

    /** A status answer whose MAC verified: the token's state and this computer's clock offset. */
    record Status(String state, long offsetMillis) {
    }

    Outcome activate(String serviceId, String userId, char[] password) throws IOException, InterruptedException {
        SrpClient client = new SrpClient(io.kagi.activation.Srp6a.identity(serviceId, userId), password);
        Arrays.fill(password, '\0');
        ObjectNode start = JSON.createObjectNode();
        start.put("protocol", AnswerAuthentication.PROTOCOL);
        start.put("serviceId", serviceId);
        start.put("userId", userId);
        start.put("A", client.clientPublicHex());
        Instant startSentAt = clock.instant();
        Answer started = post("start", start);
        Instant startReceivedAt = clock.instant();
        if (started.refused() != null) {
            return started.refused();
        }
        // Unauthenticated yet, so it can only stop us: a clock far off is told before a guess is spent.
        OptionalLong early = offset(started.body().path("serverTime").asString(""), startSentAt, startReceivedAt);
        if (early.isPresent() && beyondBound(early.getAsLong())) {
            return new Outcome.ClockOff(early.getAsLong(), false);
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
        TokenParameters tokenParameters;
        try {
            tokenParameters = new TokenParameters(parameters.path("algorithm").asString(),
                    parameters.path("digits").asInt(), parameters.path("period").asInt());
        } catch (IllegalArgumentException e) {
            return new Outcome.AnswerNotAuthentic();
        }
        String serviceName = answer.path("serviceName").asString("");
        String serverTime = answer.path("serverTime").asString("");
        if (!serviceId.equals(answer.path("serviceId").asString("")) || !userId.equals(answer.path("userId").asString(""))
                || !client.verifiesFinishAnswer(serviceId, userId, serviceName, tokenParameters, serverTime,
                answer.path("MAC").asString(""))) {
            return new Outcome.AnswerNotAuthentic();
        }
        OptionalLong offset = offset(serverTime, sentAt, receivedAt);
        if (offset.isEmpty()) {
            return new Outcome.AnswerNotAuthentic();
        }
        if (beyondBound(offset.getAsLong())) {
            return new Outcome.ClockOff(offset.getAsLong(), true);
        }
        byte[] seed = client.deriveSeed(tokenParameters);
        byte[] statusKey = client.statusKey();
        try {
            return new Outcome.Activated(new StoredToken(serviceId, userId, serviceName, tokenParameters, seed,
                    offset.getAsLong(), receivedAt, server.toString(), statusKey, "active"));
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(statusKey, (byte) 0);
        }
    }

    /**
     * Asks the authority for the time and the token's state under the token's status key
     * (docs/activation-protocol.md §7). Empty when the token has no status key, the authority cannot
     * be reached or does not know the key, the answer's MAC does not verify, or the round trip took
     * longer than {@link AnswerAuthentication#MAX_STATUS_ROUND_TRIP} (the offset would be uncertain).
     */
    Optional<Status> status(StoredToken token) throws InterruptedException {
        byte[] key = token.statusKey();
        if (key == null) {
            return Optional.empty();
        }
        try {
            byte[] nonceBytes = new byte[16];
            RANDOM.nextBytes(nonceBytes);
            String nonce = HexFormat.of().formatHex(nonceBytes);
            ObjectNode request = JSON.createObjectNode();
            request.put("serviceId", token.serviceId());
            request.put("userId", token.userId());
            request.put("nonce", nonce);
            request.put("proof", AnswerAuthentication.mac(key,
                    AnswerAuthentication.statusRequest(token.serviceId(), token.userId(), nonce)));
            Instant sentAt = clock.instant();
            Answer answer = post("status", request, STATUS_TIMEOUT);
            Instant receivedAt = clock.instant();
            if (answer.refused() != null
                    || Duration.between(sentAt, receivedAt).compareTo(AnswerAuthentication.MAX_STATUS_ROUND_TRIP) > 0) {
                return Optional.empty();
            }
            String state = answer.body().path("state").asString("");
            String serverTime = answer.body().path("serverTime").asString("");
            if (!AnswerAuthentication.verifies(key, AnswerAuthentication.statusAnswer(token.serviceId(), token.userId(),
                    nonce, state, serverTime), answer.body().path("MAC").asString(""))) {
                return Optional.empty();
            }
            OptionalLong offset = offset(serverTime, sentAt, receivedAt);
            return offset.isPresent() ? Optional.of(new Status(state, offset.getAsLong())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The authority's clock minus ours, taking the middle of the round trip as the moment it read its clock. */
    private static OptionalLong offset(String serverTime, Instant sentAt, Instant receivedAt) {
        try {
            long middle = (sentAt.toEpochMilli() + receivedAt.toEpochMilli()) / 2;
            return OptionalLong.of(Instant.parse(serverTime).toEpochMilli() - middle);
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean beyondBound(long offsetMillis) {
        return Math.abs(offsetMillis) > AnswerAuthentication.MAX_CLOCK_OFFSET.toMillis();
    }

    private record Answer(JsonNode body, Outcome.Refused refused) {
    }

    private Answer post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, body, Duration.ofSeconds(30));
    }

    private Answer post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
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
