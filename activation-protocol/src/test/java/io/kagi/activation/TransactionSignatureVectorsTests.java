package io.kagi.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The transaction signature's published vectors (docs/transaction-signing.md §2,
 * docs/transaction-signing-vectors.json; their responses were also checked with Python's hmac
 * module while writing them); the token app's JavaScript tests check the same file.
 */
class TransactionSignatureVectorsTests {

    private static final Path VECTORS = Path.of("..", "docs", "transaction-signing-vectors.json");
    private static final Instant TIME = Instant.parse("2026-11-29T05:00:00Z");

    static JsonNode document() throws Exception {
        return new ObjectMapper().readTree(Files.readString(VECTORS));
    }

    static List<JsonNode> vectors() throws Exception {
        List<JsonNode> vectors = new ArrayList<>();
        document().get("vectors").forEach(vectors::add);
        return vectors;
    }

    private static byte[] seed(String algorithm) throws Exception {
        return HexFormat.of().parseHex(document().get("seeds").get(algorithm).asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # vector                                                 | HMAC   | response
            offline: account and amount                              | SHA256 | 22355844
            offline: another account, same amount                    | SHA256 | 96007091
            offline: same account, another amount                    | SHA256 | 81197582
            offline: payee registration (no amount), SHA1 token      | SHA1   | 91146444
            two-channel: 振込承認, SHA256 token                        | SHA256 | 63705679
            two-channel: 振込承認, SHA512 token                        | SHA512 | 00637124
            two-channel: the amount altered to 90000                 | SHA256 | 47905129
            """)
    void publishedResponses(String name, String algorithm, String response) throws Exception {
        JsonNode vector = vectors().stream().filter(candidate -> candidate.get("name").asText().equals(name))
                .findFirst().orElseThrow();
        assertThat(vector.get("algorithm").asText()).isEqualTo(algorithm);
        assertThat(vector.get("response").asText()).isEqualTo(response);
        assertThat(TransactionSignature.response(seed(algorithm), algorithm, vector.get("question").asText(), TIME))
                .isEqualTo(response);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void canonicalTextQuestionSuiteAndResponseAreThePublishedOnes(JsonNode vector) throws Exception {
        String canonical;
        if (vector.has("offline")) {
            String amount = vector.get("offline").get("amount").asText();
            canonical = TransactionSignature.offline(vector.get("offline").get("account").asText(),
                    amount.isEmpty() ? null : amount);
        } else {
            Map<String, String> fields = new LinkedHashMap<>();
            vector.get("twoChannel").get("fields").properties()
                    .forEach(field -> fields.put(field.getKey(), field.getValue().asText()));
            canonical = TransactionSignature.twoChannel(vector.get("twoChannel").get("reference").asText(), fields);
        }
        String algorithm = vector.get("algorithm").asText();
        assertThat(canonical).isEqualTo(vector.get("canonical").asText());
        assertThat(TransactionSignature.question(canonical)).isEqualTo(vector.get("question").asText());
        assertThat(TransactionSignature.suite(algorithm)).hasToString(vector.get("suite").asText());
        assertThat(TransactionSignature.step(TIME)).isEqualTo(document().get("step").asLong());
        assertThat(TransactionSignature.response(seed(algorithm), algorithm, vector.get("question").asText(), TIME))
                .isEqualTo(vector.get("response").asText());
    }

    @Test
    void aResponseMatchesOnlyItsOwnQuestionWithinTheStepsTried() throws Exception {
        byte[] seed = seed("SHA256");
        String question = TransactionSignature.question(TransactionSignature.offline("1234567", "10000"));
        String altered = TransactionSignature.question(TransactionSignature.offline("1234567", "90000"));
        String response = TransactionSignature.response(seed, "SHA256", question, TIME);
        long step = TransactionSignature.step(TIME);

        assertThat(TransactionSignature.matchingStep(seed, "SHA256", question, response, step - 2, step + 1)).isEqualTo(step);
        assertThat(TransactionSignature.matchingStep(seed, "SHA256", altered, response, step - 2, step + 1)).isEqualTo(-1);
        assertThat(TransactionSignature.matchingStep(seed, "SHA256", question, response, step + 1, step + 3)).isEqualTo(-1);
    }

    @Test
    void refusesFieldsThatCouldForgeALineOfTheCanonicalText() {
        assertThatThrownBy(() -> TransactionSignature.twoChannel("00", Map.of("name", "A\namount:1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransactionSignature.offline("12-34", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
