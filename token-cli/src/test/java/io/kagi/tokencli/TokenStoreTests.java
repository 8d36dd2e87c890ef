package io.kagi.tokencli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HexFormat;

import io.kagi.activation.TokenParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenStoreTests {

    /** Fewer iterations than a real file, to keep the tests quick; {@link #aNewFileUsesAtLeast600000Iterations} checks the real count. */
    private static final int TEST_ITERATIONS = 100_000;
    private static final byte[] SEED = HexFormat.of().parseHex("c518bd0722a9673fda57cd5ad2ba4e7f0904b67e61a45b42d9d8b39cf42531db");

    @TempDir
    Path directory;

    private static StoredToken token(String serviceId) {
        return new StoredToken(serviceId, "012345", "かぎ銀行ビジネスWeb", TokenParameters.defaults(), SEED, -1500,
                Instant.parse("2026-11-24T09:30:16Z"));
    }

    @Test
    void keepsTokensAcrossOpeningsUnderTheSamePassphrase() throws IOException {
        Path file = directory.resolve("kagi").resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray(), TEST_ITERATIONS);
        assertThat(store.add(token("12345678"))).isTrue();
        assertThat(store.add(token("87654321"))).isTrue();
        store.save();

        TokenStore reopened = TokenStore.open(file, "correct horse".toCharArray());

        assertThat(reopened.tokens()).containsExactly(token("12345678"), token("87654321"));
        assertThat(reopened.find("12345678").orElseThrow().codeAt(Instant.parse("2026-11-24T09:30:16.5Z")))
                .isEqualTo("518225");
    }

    @Test
    void refusesAWrongPassphrase() throws IOException {
        Path file = directory.resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray(), TEST_ITERATIONS);
        store.add(token("12345678"));
        store.save();

        assertThatThrownBy(() -> TokenStore.open(file, "wrong horse".toCharArray()))
                .isInstanceOf(TokenStore.WrongPassphraseException.class)
                .hasMessageContaining("passphrase is wrong");
    }

    @Test
    void refusesAnAlteredFile() throws IOException {
        Path file = directory.resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray(), TEST_ITERATIONS);
        store.add(token("12345678"));
        store.save();
        ObjectMapper json = new ObjectMapper();
        ObjectNode envelope = (ObjectNode) json.readTree(Files.readString(file));
        envelope.put("iterations", TEST_ITERATIONS + 1);
        Files.writeString(file, json.writeValueAsString(envelope));

        assertThatThrownBy(() -> TokenStore.open(file, "correct horse".toCharArray()))
                .isInstanceOf(TokenStore.WrongPassphraseException.class);
    }

    @Test
    void writesTheFileWithMode600InADirectoryOfMode700AndLeavesNoTemporaryFile() throws IOException {
        Path file = directory.resolve("config").resolve("kagi").resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray(), TEST_ITERATIONS);
        store.add(token("12345678"));
        store.save();
        store.remove("12345678");
        store.save();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void neitherTheSeedNorThePassphraseIsInTheFile() throws IOException {
        Path file = directory.resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray(), TEST_ITERATIONS);
        store.add(token("12345678"));
        store.save();

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).contains("\"cipher\" : \"AES-256-GCM\"").contains("PBKDF2-HMAC-SHA256")
                .doesNotContain("correct horse").doesNotContain("12345678").doesNotContain("c518bd07")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(SEED));
        assertThat(token("12345678").toString()).doesNotContain("c518bd07");
    }

    @Test
    void holdsOneTokenAService() {
        TokenStore store = TokenStore.create(directory.resolve("tokens.json"), "correct horse".toCharArray(), TEST_ITERATIONS);

        assertThat(store.add(token("12345678"))).isTrue();
        assertThat(store.add(token("12345678"))).isFalse();
        assertThat(store.tokens()).hasSize(1);
    }

    @Test
    void aNewFileUsesAtLeast600000Iterations() throws IOException {
        Path file = directory.resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray());
        store.save();

        assertThat(new ObjectMapper().readTree(Files.readString(file)).get("iterations").asInt()).isGreaterThanOrEqualTo(600_000);
    }
}
