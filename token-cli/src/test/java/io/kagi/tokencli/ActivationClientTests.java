package io.kagi.tokencli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kagi.activation.AnswerAuthentication;
import io.kagi.activation.Srp6a;
import io.kagi.activation.SrpServer;
import io.kagi.activation.TokenParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command-line token against an authority built here from the protocol's own server side
 * (docs/activation-protocol.md §4–§7), with a hook that alters its answers as someone on the
 * network path could.
 */
class ActivationClientTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_ID = "12345678";
    private static final String USER_ID = "012345";
    private static final String PASSWORD = "24680135";
    private static final Instant SERVER_NOW = Instant.parse("2026-11-24T09:30:16.250Z");

    private HttpServer http;

    /** One token waiting for activation; {@code alter} rewrites the finish answer in transit. */
    private final class Authority {
        final String identity = Srp6a.identity(SERVICE_ID, USER_ID);
        final byte[] salt = SrpServer.newSalt();
        final byte[] verifier = SrpServer.verifier(identity, PASSWORD.toCharArray(), salt);
        final byte[] b = SrpServer.newPrivateValue();
        Instant serverNow = SERVER_NOW;
        String state = "active";
        UnaryOperator<ObjectNode> alter = UnaryOperator.identity();
        UnaryOperator<ObjectNode> alterStatus = UnaryOperator.identity();
        SrpServer.Confirmation confirmation;

        URI start() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/api/v1/activation/", this::handle);
            http.start();
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        }

        private void handle(HttpExchange exchange) throws IOException {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            SrpServer server = new SrpServer(identity, salt, verifier, b);
            ObjectNode answer = JSON.createObjectNode();
            String time = AnswerAuthentication.time(serverNow);
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/start")) {
                answer.put("sessionId", "session-1");
                answer.put("salt", HexFormat.of().formatHex(salt));
                answer.put("B", server.serverPublicHex());
                answer.put("serverTime", time);
                clientPublic = body.path("A").asString();
            } else if (path.endsWith("/finish")) {
                confirmation = server.verify(clientPublic, HexFormat.of().parseHex(body.path("M1").asString())).orElseThrow();
                TokenParameters parameters = TokenParameters.defaults();
                answer.put("M2", HexFormat.of().formatHex(confirmation.serverProof()));
                answer.put("serviceId", SERVICE_ID);
                answer.put("userId", USER_ID);
                answer.put("serviceName", "かぎ銀行ビジネスWeb");
                ObjectNode p = answer.putObject("tokenParameters");
                p.put("algorithm", parameters.algorithm());
                p.put("digits", parameters.digits());
                p.put("period", parameters.period());
                answer.put("serverTime", time);
                answer.put("MAC", confirmation.finishMac(SERVICE_ID, USER_ID, "かぎ銀行ビジネスWeb", parameters, time));
                answer = alter.apply(answer);
            } else {
                String nonce = body.path("nonce").asString();
                byte[] key = confirmation.statusKey();
                assertThat(AnswerAuthentication.verifies(key, AnswerAuthentication.statusRequest(SERVICE_ID, USER_ID, nonce),
                        body.path("proof").asString())).isTrue();
                answer.put("state", state);
                answer.put("serverTime", time);
                answer.put("MAC", AnswerAuthentication.mac(key,
                        AnswerAuthentication.statusAnswer(SERVICE_ID, USER_ID, nonce, state, time)));
                answer = alterStatus.apply(answer);
            }
            byte[] bytes = JSON.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        String clientPublic;
    }

    @TempDir
    Path config;

    private String[] kagiToken(Clock clock, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new KagiToken(Map.of("XDG_CONFIG_HOME", config.toString(), "KAGI_TOKEN_PASSPHRASE", "pass"),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null, clock).commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new String[] {Integer.toString(commandLine.execute(args)), out.toString(), err.toString()};
    }

    @Test
    void replacesATokenTheBankEndedWhenAskedToAndWarnsAboutItsStateMeanwhile() throws Exception {
        Authority first = new Authority();
        URI server = first.start();
        Clock clock = phoneClock(Duration.ZERO);
        assertThat(kagiToken(clock, PASSWORD + "\n", "activate", "--server", server.toString(), "--service-id", SERVICE_ID,
                "--user-id", USER_ID, "--password-stdin")[0]).isEqualTo("0");
        first.state = "replaced";

        String[] code = kagiToken(clock, "", "code");
        assertThat(code[2]).contains("is replaced; its codes no longer work");
        String[] refused = kagiToken(clock, PASSWORD + "\n", "activate", "--server", server.toString(), "--service-id",
                SERVICE_ID, "--user-id", USER_ID, "--password-stdin");
        assertThat(refused[2]).contains("(the bank said it is replaced)").contains("--replace");
        stop();
        Authority second = new Authority();
        URI newServer = second.start();

        String[] replaced = kagiToken(clock, PASSWORD + "\n", "activate", "--server", newServer.toString(), "--service-id",
                SERVICE_ID, "--user-id", USER_ID, "--password-stdin", "--replace");

        assertThat(replaced[0]).isEqualTo("0");
        String[] after = kagiToken(clock, "", "code");
        assertThat(after[0]).isEqualTo("0");
        assertThat(after[2]).doesNotContain("no longer work");
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    private static Clock phoneClock(Duration offFromServer) {
        return Clock.fixed(SERVER_NOW.minus(offFromServer), ZoneOffset.UTC);
    }

    @Test
    void activatesWithAnAuthenticAnswerAndLearnsTheClockOffset() throws Exception {
        Authority authority = new Authority();
        URI server = authority.start();

        ActivationClient.Outcome outcome = new ActivationClient(server, phoneClock(Duration.ofSeconds(90)))
                .activate(SERVICE_ID, USER_ID, PASSWORD.toCharArray());

        assertThat(outcome).isInstanceOf(ActivationClient.Outcome.Activated.class);
        StoredToken token = ((ActivationClient.Outcome.Activated) outcome).token();
        assertThat(token.clockOffsetMillis()).isEqualTo(90_000);
        assertThat(token.statusKey()).isEqualTo(authority.confirmation.statusKey());
        assertThat(token.server()).isEqualTo(server.toString());
    }

    static Stream<Arguments> alterationsInTransit() {
        return Stream.of(
                Arguments.of("serverTime moved by a day", (UnaryOperator<ObjectNode>) answer ->
                        answer.put("serverTime", AnswerAuthentication.time(SERVER_NOW.plus(Duration.ofDays(1))))),
                Arguments.of("8 digits instead of 6", (UnaryOperator<ObjectNode>) answer -> {
                    ((ObjectNode) answer.get("tokenParameters")).put("digits", 8);
                    return answer;
                }),
                Arguments.of("no MAC (an authority of version 1)", (UnaryOperator<ObjectNode>) answer -> {
                    answer.remove("MAC");
                    return answer;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alterationsInTransit")
    void refusesAFinishAnswerAlteredInTransit(String alteration, UnaryOperator<ObjectNode> alter) throws Exception {
        Authority authority = new Authority();
        authority.alter = alter;
        URI server = authority.start();

        ActivationClient.Outcome outcome = new ActivationClient(server, phoneClock(Duration.ZERO))
                .activate(SERVICE_ID, USER_ID, PASSWORD.toCharArray());

        assertThat(outcome).isInstanceOf(ActivationClient.Outcome.AnswerNotAuthentic.class);
    }

    @Test
    void refusesAClockBeyondTheBoundBeforeThePasswordIsUsed() throws Exception {
        Authority authority = new Authority();
        URI server = authority.start();

        ActivationClient.Outcome outcome = new ActivationClient(server, phoneClock(Duration.ofMinutes(6)))
                .activate(SERVICE_ID, USER_ID, PASSWORD.toCharArray());

        assertThat(outcome).isEqualTo(new ActivationClient.Outcome.ClockOff(360_000, false));
        assertThat(authority.confirmation).as("no finish was sent").isNull();
    }

    @Test
    void measuresTheOffsetAgainOnceTheClockWasFixedAndLearnsTheState() throws Exception {
        Authority authority = new Authority();
        URI server = authority.start();
        StoredToken token = ((ActivationClient.Outcome.Activated) new ActivationClient(server,
                phoneClock(Duration.ofSeconds(90))).activate(SERVICE_ID, USER_ID, PASSWORD.toCharArray())).token();
        authority.serverNow = SERVER_NOW.plus(Duration.ofHours(1));
        authority.state = "revoked";

        Optional<ActivationClient.Status> status = new ActivationClient(server,
                Clock.fixed(SERVER_NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC)).status(token);

        assertThat(status).contains(new ActivationClient.Status("revoked", 0));
    }

    @Test
    void ignoresAStatusAnswerWhoseTimeWasMovedInTransit() throws Exception {
        Authority authority = new Authority();
        URI server = authority.start();
        StoredToken token = ((ActivationClient.Outcome.Activated) new ActivationClient(server,
                phoneClock(Duration.ZERO)).activate(SERVICE_ID, USER_ID, PASSWORD.toCharArray())).token();
        authority.alterStatus = answer -> answer.put("serverTime", AnswerAuthentication.time(SERVER_NOW.plus(Duration.ofDays(1))));

        assertThat(new ActivationClient(server, phoneClock(Duration.ZERO)).status(token)).isEmpty();
    }
}
