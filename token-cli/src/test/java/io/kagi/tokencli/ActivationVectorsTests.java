package io.kagi.tokencli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.kagi.activation.SrpClient;
import io.kagi.activation.TokenParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published vectors (docs/activation-protocol-vectors.json) through the command-line token's
 * own path: the shared SRP client answers the vector's server, derives the seed, and the token as
 * stored prints the vector's codes at the vector's instants.
 */
class ActivationVectorsTests {

    private static final Path VECTORS = Path.of("..", "docs", "activation-protocol-vectors.json");
    private static final HexFormat HEX = HexFormat.of();

    static List<JsonNode> vectors() throws Exception {
        List<JsonNode> vectors = new ArrayList<>();
        new ObjectMapper().readTree(Files.readString(VECTORS)).get("vectors").forEach(vectors::add);
        return vectors;
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void theStoredTokenPrintsThePublishedCodes(JsonNode vector) {
        JsonNode input = vector.get("input");
        JsonNode parameters = input.get("tokenParameters");
        TokenParameters tokenParameters = new TokenParameters(parameters.get("algorithm").asString(),
                parameters.get("digits").asInt(), parameters.get("period").asInt());
        SrpClient client = SrpClient.withPrivateValue(vector.get("identity").asString(),
                input.get("password").asString().toCharArray(), HEX.parseHex(input.get("a").asString()));

        assertThat(client.clientPublicHex()).isEqualTo(vector.get("A").asString());
        assertThat(client.respond(input.get("salt").asString(), vector.get("B").asString())).isEqualTo(vector.get("M1").asString());
        assertThat(client.confirmsServer(vector.get("M2").asString())).isTrue();
        byte[] seed = client.deriveSeed(tokenParameters);
        assertThat(HEX.formatHex(seed)).isEqualTo(vector.get("seed").asString());

        StoredToken token = new StoredToken(input.get("serviceId").asString(), input.get("userId").asString(), "vector",
                tokenParameters, seed, 0, Instant.EPOCH);
        for (JsonNode code : vector.get("codes")) {
            assertThat(token.codeAt(Instant.parse(code.get("time").asString())))
                    .as("code at %s", code.get("time").asString())
                    .isEqualTo(code.get("code").asString());
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void aClockOffsetLearnedAtActivationShiftsTheCode(JsonNode vector) {
        JsonNode input = vector.get("input");
        JsonNode parameters = input.get("tokenParameters");
        TokenParameters tokenParameters = new TokenParameters(parameters.get("algorithm").asString(),
                parameters.get("digits").asInt(), parameters.get("period").asInt());
        JsonNode first = vector.get("codes").get(0);
        Instant serverTime = Instant.parse(first.get("time").asString());
        // This computer's clock is five minutes slow: the server's code is printed all the same.
        StoredToken token = new StoredToken(input.get("serviceId").asString(), input.get("userId").asString(), "vector",
                tokenParameters, HEX.parseHex(vector.get("seed").asString()), 300_000, Instant.EPOCH);

        assertThat(token.codeAt(serverTime.minusSeconds(300))).isEqualTo(first.get("code").asString());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("vectors")
    void aWrongPasswordGivesThePublishedRefusedProof(JsonNode vector) {
        JsonNode input = vector.get("input");
        SrpClient client = SrpClient.withPrivateValue(vector.get("identity").asString(),
                vector.get("wrongPassword").get("password").asString().toCharArray(), HEX.parseHex(input.get("a").asString()));

        assertThat(client.respond(input.get("salt").asString(), vector.get("B").asString()))
                .isEqualTo(vector.get("wrongPassword").get("M1").asString());
    }
}
