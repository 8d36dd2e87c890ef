package io.kagi.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kagi.activation.Srp6a;
import io.kagi.activation.SrpClient;
import io.kagi.activation.TokenParameters;
import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A token device for tests: activates a token over the real REST activation endpoints exactly
 * like the phone app (SRP-6a with the shared activation-protocol client, checking the server's
 * proof), keeps the derived seed, and computes codes for any instant (so tests with a moved
 * {@link MutableClock} get the code of that moment).
 */
public final class TestTokenDevice {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String serviceId;
    private final String userId;
    private final String serviceName;
    private final TokenParameters parameters;
    private final Instant serverTime;
    private final byte[] seed;
    private final List<String> transcript;
    private final Totp totp;

    private TestTokenDevice(String serviceId, String userId, String serviceName, TokenParameters parameters,
                            Instant serverTime, byte[] seed, List<String> transcript) {
        this.serviceId = serviceId;
        this.userId = userId;
        this.serviceName = serviceName;
        this.parameters = parameters;
        this.serverTime = serverTime;
        this.seed = seed;
        TestSecrets.register(seed);
        this.transcript = List.copyOf(transcript);
        this.totp = new Totp(HmacAlgorithm.fromName(parameters.algorithm()), parameters.digits(),
                Duration.ofSeconds(parameters.period()));
    }

    /**
     * Activates the token with these IDs and password over {@code baseUrl} (e.g.
     * {@code http://localhost:8080}).
     *
     * @throws IllegalStateException with the HTTP status and problem body when activation is refused
     */
    public static TestTokenDevice activate(String baseUrl, String serviceId, String userId, String activationPassword) {
        Attempt attempt = attempt(baseUrl, serviceId, userId, activationPassword);
        if (attempt.device() == null) {
            throw new IllegalStateException("Activation refused: HTTP " + attempt.status() + " " + attempt.body());
        }
        return attempt.device();
    }

    /**
     * One activation exchange that may fail: the HTTP status and body of the last answer (start's
     * when start refused, else finish's) and the device when it succeeded.
     */
    public static Attempt attempt(String baseUrl, String serviceId, String userId, String activationPassword) {
        List<String> transcript = new ArrayList<>();
        TestSecrets.register(activationPassword);
        SrpClient client = new SrpClient(Srp6a.identity(serviceId, userId), activationPassword.toCharArray());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("serviceId", serviceId);
        start.put("userId", userId);
        start.put("A", client.clientPublicHex());
        HttpResponse<String> started = post(baseUrl + "/api/v1/activation/start", start, transcript);
        if (started.statusCode() != 200) {
            return new Attempt(started.statusCode(), started.body(), null, transcript);
        }
        JsonNode challenge = JSON.readTree(started.body());
        String clientProof = client.respond(challenge.get("salt").asString(), challenge.get("B").asString());
        Map<String, Object> finish = new LinkedHashMap<>();
        finish.put("sessionId", challenge.get("sessionId").asString());
        finish.put("M1", clientProof);
        HttpResponse<String> finished = post(baseUrl + "/api/v1/activation/finish", finish, transcript);
        if (finished.statusCode() != 200) {
            return new Attempt(finished.statusCode(), finished.body(), null, transcript);
        }
        JsonNode done = JSON.readTree(finished.body());
        if (!client.confirmsServer(done.get("M2").asString())) {
            throw new IllegalStateException("The server's proof M2 is wrong");
        }
        JsonNode p = done.get("tokenParameters");
        TokenParameters parameters = new TokenParameters(p.get("algorithm").asString(), p.get("digits").asInt(),
                p.get("period").asInt());
        TestTokenDevice device = new TestTokenDevice(serviceId, userId, done.get("serviceName").asString(), parameters,
                Instant.parse(done.get("serverTime").asString()), client.deriveSeed(parameters), transcript);
        return new Attempt(200, finished.body(), device, transcript);
    }

    private static HttpResponse<String> post(String url, Map<String, Object> body, List<String> transcript) {
        try {
            String json = JSON.writeValueAsString(body);
            transcript.add(json);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            transcript.add(response.body());
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String serviceId() {
        return serviceId;
    }

    public String userId() {
        return userId;
    }

    public String serviceName() {
        return serviceName;
    }

    public TokenParameters parameters() {
        return parameters;
    }

    /** The authority's clock when it finished the exchange. */
    public Instant serverTime() {
        return serverTime;
    }

    /** The TOTP code of the step containing {@code time}. */
    public String codeAt(Instant time) {
        String code = totp.generate(seed, time);
        TestSecrets.register(code);
        return code;
    }

    /** The code of the step after the one containing {@code time} (to avoid replay refusals). */
    public String nextCodeAfter(Instant time) {
        String code = totp.generateAtStep(seed, totp.stepAt(time) + 1);
        TestSecrets.register(code);
        return code;
    }

    /** The seed this device derived: for tests that look for it where it must not be. */
    public byte[] seed() {
        return seed.clone();
    }

    /** Every JSON body sent and received during activation, in order. */
    public List<String> transcript() {
        return transcript;
    }

    @Override
    public String toString() {
        return "TestTokenDevice[" + serviceId + ":" + userId + "]";
    }

    /** The outcome of {@link #attempt}: {@code device} is null when activation was refused. */
    public record Attempt(int status, String body, TestTokenDevice device, List<String> transcript) {

        /** The problem's {@code code} member, or null. */
        public String problemCode() {
            JsonNode node = JSON.readTree(body);
            return node.has("code") ? node.get("code").asString() : null;
        }

        /** The problem's {@code attemptsLeft} member, or -1. */
        public int attemptsLeft() {
            JsonNode node = JSON.readTree(body);
            return node.has("attemptsLeft") ? node.get("attemptsLeft").asInt() : -1;
        }
    }
}
