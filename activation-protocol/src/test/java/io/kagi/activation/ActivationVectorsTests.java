package io.kagi.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.kagi.otp.Base32;
import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Checks the Java implementation against docs/activation-protocol-vectors.json, which an
 * independent Python implementation (docs/activation-protocol-vectors.py) wrote. The token app
 * checks the same file from JavaScript.
 */
class ActivationVectorsTests {

    private static final Path VECTORS = Path.of("..", "docs", "activation-protocol-vectors.json");
    private static final HexFormat HEX = HexFormat.of();

    static JsonNode document() throws Exception {
        return new ObjectMapper().readTree(Files.readString(VECTORS));
    }

    static List<JsonNode> vectors() throws Exception {
        List<JsonNode> vectors = new ArrayList<>();
        document().get("vectors").forEach(vectors::add);
        return vectors;
    }

    /** RFC 5054 Appendix A, the 2048-bit group's prime as the RFC prints it. */
    private static final String RFC_5054_2048_BIT_PRIME = String.join("", """
            AC6BDB41 324A9A9B F166DE5E 1389582F AF72B665 1987EE07 FC319294
            3DB56050 A37329CB B4A099ED 8193E075 7767A13D D52312AB 4B03310D
            CD7F48A9 DA04FD50 E8083969 EDB767B0 CF609517 9A163AB3 661A05FB
            D5FAAAE8 2918A996 2F0B93B8 55F97993 EC975EEA A80D740A DBF4FF74
            7359D041 D5C33EA7 1D281E44 6B14773B CA97B43A 23FB8016 76BD207A
            436C6481 F1D2B907 8717461A 5B9D32E6 88F87748 544523B5 24B0D57D
            5EA77A27 75D2ECFA 032CFBDB F52FB378 61602790 04E57AE6 AF874E73
            03CE5329 9CCC041C 7BC308D8 2A5698F3 A8D0C382 71AE35F8 E9DBFBB6
            94B5C803 D89F7AE4 35DE236D 525F5475 9B65E372 FCD68EF2 0FA7111F
            9E4AFF73
            """.split("\\s+"));

    @Test
    void groupIsTheRfc5054TwoThousandFortyEightBitGroup() throws Exception {
        JsonNode group = document().get("group");
        BigInteger rfcPrime = new BigInteger(RFC_5054_2048_BIT_PRIME, 16);

        assertThat(Srp6a.N).isEqualTo(rfcPrime);
        assertThat(Srp6a.G).isEqualTo(BigInteger.TWO);
        assertThat(group.get("N").asString()).isEqualTo(RFC_5054_2048_BIT_PRIME.toLowerCase(java.util.Locale.ROOT));
        assertThat(group.get("g").asInt()).isEqualTo(2);
        assertThat(group.get("hash").asString()).isEqualTo("SHA-256");
        assertThat(Srp6a.hex(Srp6a.N)).isEqualTo(group.get("N").asString());
    }

    /** The published file still holds every vector this test and the JavaScript tests were written against. */
    @Test
    void publishedFileHoldsTheThreeVectors() throws Exception {
        JsonNode document = document();

        assertThat(document.get("protocol").asString()).isEqualTo(AnswerAuthentication.PROTOCOL);
        assertThat(vectors()).extracting(vector -> vector.get("name").asString()).containsExactly(
                "default policy, 8-digit password",
                "SHA1, 30 s, 4-digit password",
                "SHA512, 8 digits");
        assertThat(vectors()).extracting(vector -> vector.get("codes").size()).containsExactly(3, 3, 1);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void everyIntermediateValueMatches(JsonNode vector) {
        JsonNode input = vector.get("input");
        String identity = Srp6a.identity(input.get("serviceId").asString(), input.get("userId").asString());
        char[] password = input.get("password").asString().toCharArray();
        byte[] salt = HEX.parseHex(input.get("salt").asString());
        BigInteger a = new BigInteger(1, HEX.parseHex(input.get("a").asString()));
        BigInteger b = new BigInteger(1, HEX.parseHex(input.get("b").asString()));

        BigInteger x = Srp6a.x(identity, password, salt);
        BigInteger v = Srp6a.verifier(identity, password, salt);
        BigInteger clientPublic = Srp6a.clientPublic(a);
        BigInteger serverPublic = Srp6a.serverPublic(v, b);
        BigInteger premaster = Srp6a.clientSecret(x, a, clientPublic, serverPublic);
        byte[] sessionKey = Srp6a.sessionKey(premaster);
        byte[] clientProof = Srp6a.clientProof(identity, salt, clientPublic, serverPublic, sessionKey);

        assertThat(identity).isEqualTo(vector.get("identity").asString());
        assertThat(x).isEqualTo(new BigInteger(vector.get("x").asString(), 16));
        assertThat(Srp6a.hex(v)).isEqualTo(vector.get("v").asString());
        assertThat(Srp6a.k()).isEqualTo(new BigInteger(vector.get("k").asString(), 16));
        assertThat(Srp6a.hex(clientPublic)).isEqualTo(vector.get("A").asString());
        assertThat(Srp6a.hex(serverPublic)).isEqualTo(vector.get("B").asString());
        assertThat(Srp6a.u(clientPublic, serverPublic)).isEqualTo(new BigInteger(vector.get("u").asString(), 16));
        assertThat(Srp6a.hex(premaster)).isEqualTo(vector.get("S").asString());
        assertThat(Srp6a.hex(Srp6a.serverSecret(v, b, clientPublic, serverPublic))).isEqualTo(vector.get("S").asString());
        assertThat(HEX.formatHex(sessionKey)).isEqualTo(vector.get("K").asString());
        assertThat(HEX.formatHex(clientProof)).isEqualTo(vector.get("M1").asString());
        assertThat(HEX.formatHex(Srp6a.serverProof(clientPublic, clientProof, sessionKey))).isEqualTo(vector.get("M2").asString());
        assertThat(HEX.formatHex(SeedDerivation.transcriptHash(identity, salt, clientPublic, serverPublic)))
                .isEqualTo(vector.get("hkdfSalt").asString());
        assertThat(new String(SeedDerivation.info(identity, parameters(input)), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(vector.get("hkdfInfo").asString());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void clientAndServerExchangeTheVectorsMessagesAndDeriveItsSeedAndCodes(JsonNode vector) {
        JsonNode input = vector.get("input");
        TokenParameters parameters = parameters(input);
        SrpClient client = client(vector, input.get("password").asString());
        SrpServer server = server(vector);

        assertThat(client.clientPublicHex()).isEqualTo(vector.get("A").asString());
        assertThat(server.serverPublicHex()).isEqualTo(vector.get("B").asString());
        String clientProof = client.respond(input.get("salt").asString(), server.serverPublicHex());
        assertThat(clientProof).isEqualTo(vector.get("M1").asString());
        SrpServer.Confirmation confirmation = server.verify(client.clientPublicHex(), HEX.parseHex(clientProof)).orElseThrow();
        assertThat(HEX.formatHex(confirmation.serverProof())).isEqualTo(vector.get("M2").asString());
        assertThat(client.confirmsServer(HEX.formatHex(confirmation.serverProof()))).isTrue();

        byte[] seed = client.deriveSeed(parameters);
        assertThat(HEX.formatHex(seed)).isEqualTo(vector.get("seed").asString());
        assertThat(confirmation.deriveSeed(parameters)).isEqualTo(seed);
        assertThat(Base32.encodeWithoutPadding(seed)).isEqualTo(vector.get("seedBase32").asString());

        Totp totp = new Totp(HmacAlgorithm.fromName(parameters.algorithm()), parameters.digits(),
                Duration.ofSeconds(parameters.period()));
        for (JsonNode code : vector.get("codes")) {
            Instant time = Instant.parse(code.get("time").asString());
            assertThat(totp.stepAt(time)).isEqualTo(code.get("step").asLong());
            assertThat(totp.generate(seed, time)).isEqualTo(code.get("code").asString());
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void serverRefusesTheProofOfAWrongPassword(JsonNode vector) {
        JsonNode input = vector.get("input");
        JsonNode wrong = vector.get("wrongPassword");
        SrpClient client = client(vector, wrong.get("password").asString());
        SrpServer server = server(vector);

        String clientProof = client.respond(input.get("salt").asString(), server.serverPublicHex());

        assertThat(clientProof).isEqualTo(wrong.get("M1").asString()).isNotEqualTo(vector.get("M1").asString());
        assertThat(server.verify(client.clientPublicHex(), HEX.parseHex(clientProof))).isEmpty();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void versionTwoKeysAndMacsMatchAndATokenRefusesAMovedServerTime(JsonNode vector) {
        JsonNode input = vector.get("input");
        String identity = vector.get("identity").asString();
        byte[] salt = HEX.parseHex(input.get("salt").asString());
        SrpClient client = client(vector, input.get("password").asString());
        SrpServer server = server(vector);
        String clientProof = client.respond(input.get("salt").asString(), server.serverPublicHex());
        SrpServer.Confirmation confirmation = server.verify(client.clientPublicHex(), HEX.parseHex(clientProof)).orElseThrow();
        assertThat(client.confirmsServer(HEX.formatHex(confirmation.serverProof()))).isTrue();
        JsonNode answer = vector.get("finishAnswer");
        JsonNode status = vector.get("status");
        String serviceId = answer.get("serviceId").asString();
        String userId = answer.get("userId").asString();
        String serviceName = answer.get("serviceName").asString();
        TokenParameters parameters = parameters(answer);
        BigInteger a = new BigInteger(1, HEX.parseHex(input.get("a").asString()));
        byte[] sessionKey = HEX.parseHex(vector.get("K").asString());
        BigInteger clientPublic = Srp6a.clientPublic(a);
        BigInteger serverPublic = new BigInteger(vector.get("B").asString(), 16);

        assertThat(HEX.formatHex(AnswerAuthentication.key(sessionKey, identity, salt, clientPublic, serverPublic, "finish")))
                .isEqualTo(vector.get("finishKey").asString());
        assertThat(HEX.formatHex(client.statusKey())).isEqualTo(vector.get("statusKey").asString());
        assertThat(confirmation.statusKey()).isEqualTo(client.statusKey());
        assertThat(confirmation.finishMac(serviceId, userId, serviceName, parameters, answer.get("serverTime").asString()))
                .isEqualTo(answer.get("MAC").asString());
        assertThat(client.verifiesFinishAnswer(serviceId, userId, serviceName, parameters,
                answer.get("serverTime").asString(), answer.get("MAC").asString())).isTrue();
        assertThat(client.verifiesFinishAnswer(serviceId, userId, serviceName, parameters,
                answer.get("movedServerTime").asString(), answer.get("MAC").asString())).isFalse();
        assertThat(client.verifiesFinishAnswer(serviceId, userId, serviceName, new TokenParameters("SHA1", 8, 30),
                answer.get("serverTime").asString(), answer.get("MAC").asString())).isFalse();
        assertThat(confirmation.finishMac(serviceId, userId, serviceName, parameters, answer.get("movedServerTime").asString()))
                .isEqualTo(answer.get("macOfMovedServerTime").asString())
                .isNotEqualTo(answer.get("MAC").asString());
        assertThat(AnswerAuthentication.mac(client.statusKey(), AnswerAuthentication.statusRequest(serviceId, userId,
                status.get("nonce").asString()))).isEqualTo(status.get("proof").asString());
        assertThat(AnswerAuthentication.verifies(client.statusKey(), AnswerAuthentication.statusAnswer(serviceId, userId,
                status.get("nonce").asString(), status.get("state").asString(), status.get("serverTime").asString()),
                status.get("MAC").asString())).isTrue();
    }

    /** The vector's token with this password and its private value {@code a}. */
    private static SrpClient client(JsonNode vector, String password) {
        return SrpClient.withPrivateValue(vector.get("identity").asString(), password.toCharArray(),
                HEX.parseHex(vector.get("input").get("a").asString()));
    }

    /** The vector's authority: its salt, the verifier of its password, its private value {@code b}. */
    private static SrpServer server(JsonNode vector) {
        JsonNode input = vector.get("input");
        String identity = vector.get("identity").asString();
        byte[] salt = HEX.parseHex(input.get("salt").asString());
        return new SrpServer(identity, salt, SrpServer.verifier(identity, input.get("password").asString().toCharArray(), salt),
                HEX.parseHex(input.get("b").asString()));
    }

    private static TokenParameters parameters(JsonNode input) {
        JsonNode p = input.get("tokenParameters");
        return new TokenParameters(p.get("algorithm").asString(), p.get("digits").asInt(), p.get("period").asInt());
    }
}
