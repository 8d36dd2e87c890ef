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

import io.kagi.activation.AnswerAuthentication;
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
    private final byte[] statusKey;
    private final List<String> transcript;
    private final Totp totp;

    private TestTokenDevice(String serviceId, String userId, String serviceName, TokenParameters parameters,
                            Instant serverTime, byte[] seed, byte[] statusKey, List<String> transcript) {
        this.serviceId = serviceId;
        this.userId = userId;
        this.serviceName = serviceName;
        this.parameters = parameters;
        this.serverTime = serverTime;
        this.seed = seed;
        this.statusKey = statusKey;
        TestSecrets.register(seed);
        TestSecrets.register(statusKey);
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
        start.put("protocol", AnswerAuthentication.PROTOCOL);
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
        if (!client.verifiesFinishAnswer(done.get("serviceId").asString(), done.get("userId").asString(),
                done.get("serviceName").asString(), parameters, done.get("serverTime").asString(), done.get("MAC").asString())) {
            throw new IllegalStateException("The finish answer's MAC is wrong");
        }
        TestTokenDevice device = new TestTokenDevice(serviceId, userId, done.get("serviceName").asString(), parameters,
                Instant.parse(done.get("serverTime").asString()), client.deriveSeed(parameters), client.statusKey(),
                transcript);
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

    /**
     * Asks the authority for this token's state under its status key (docs/activation-protocol.md §7)
     * and checks the answer's MAC.
     *
     * @throws IllegalStateException with the HTTP status and body when not answered, or when the MAC is wrong
     */
    public String askState(String baseUrl) {
        String nonce = java.util.HexFormat.of().formatHex(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("serviceId", serviceId);
        request.put("userId", userId);
        request.put("nonce", nonce);
        request.put("proof", AnswerAuthentication.mac(statusKey, AnswerAuthentication.statusRequest(serviceId, userId, nonce)));
        HttpResponse<String> response = post(baseUrl + "/api/v1/activation/status", request, new ArrayList<>());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Status refused: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        String state = answer.get("state").asString();
        if (!AnswerAuthentication.verifies(statusKey, AnswerAuthentication.statusAnswer(serviceId, userId, nonce, state,
                answer.get("serverTime").asString()), answer.get("MAC").asString())) {
            throw new IllegalStateException("The status answer's MAC is wrong");
        }
        return state;
    }

    /**
     * 取引認証: the token's pending signing requests, asked under its status key like the phone
     * (docs/transaction-signing.md §4); each has {@code reference}, {@code fields},
     * {@code canonicalText}, {@code suite}, {@code expiresAt}.
     */
    public List<JsonNode> pendingSignings(String baseUrl) {
        String nonce = randomNonce();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("serviceId", serviceId);
        request.put("userId", userId);
        request.put("nonce", nonce);
        request.put("proof", AnswerAuthentication.mac(statusKey,
                io.kagi.activation.TransactionSignature.pendingRequest(serviceId, userId, nonce)));
        HttpResponse<String> response = post(baseUrl + "/api/v1/activation/signing/pending", request, new ArrayList<>());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Pending requests refused: HTTP " + response.statusCode() + " " + response.body());
        }
        List<JsonNode> requests = new ArrayList<>();
        JSON.readTree(response.body()).get("requests").forEach(requests::add);
        return requests;
    }

    /**
     * The phone's answer to a signing request: {@code approve} with the signature of
     * {@code canonicalText} (what the phone showed) at {@code time}, or {@code deny}. Answers the
     * HTTP status and body.
     */
    public Attempt answerSigning(String baseUrl, String reference, String decision, String canonicalText, Instant time) {
        String nonce = randomNonce();
        String response = "approve".equals(decision) ? signatureOf(canonicalText, time) : "";
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("serviceId", serviceId);
        request.put("userId", userId);
        request.put("reference", reference);
        request.put("decision", decision);
        request.put("response", response);
        request.put("nonce", nonce);
        request.put("proof", AnswerAuthentication.mac(statusKey,
                io.kagi.activation.TransactionSignature.answerRequest(serviceId, userId, reference, decision, response, nonce)));
        HttpResponse<String> answered = post(baseUrl + "/api/v1/activation/signing/answer", request, new ArrayList<>());
        return new Attempt(answered.statusCode(), answered.body(), null, List.of());
    }

    /** The OCRA signature of a canonical text at {@code time} under this token's seed. */
    public String signatureOf(String canonicalText, Instant time) {
        return io.kagi.activation.TransactionSignature.response(seed, parameters.algorithm(),
                io.kagi.activation.TransactionSignature.question(canonicalText), time);
    }

    /** トランザクション認証: the code the token shows for a typed account number and amount (null: none). */
    public String offlineCode(String accountNumber, String amount, Instant time) {
        return signatureOf(io.kagi.activation.TransactionSignature.offline(accountNumber, amount), time);
    }

    private static String randomNonce() {
        byte[] nonce = new byte[16];
        new java.security.SecureRandom().nextBytes(nonce);
        return java.util.HexFormat.of().formatHex(nonce);
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
