package io.kagi.platform;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The load benchmark (bench/, {@code io.kagi.bench.load.SeedSealer}) writes sealed token seeds
 * straight into the database. This value was sealed by it (key 00..1f, nonce a0..ab, context
 * {@code token-seed:42}); its own test checks that it still produces exactly this value, and this
 * one that the server opens it: together they keep the two in step.
 */
class SealedOutsideTheServerTests {

    private static final String RING = "bench-1=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String SEALED_BY_THE_BENCHMARK =
            "bench-1:oKGio6Slpqeoqaqr1ypPGXD9NYdbVbbhNE716EeUYCCjhXFYqTgRvkabRDMrdyt2fSEJFvy5vcYpY0FK";

    private final SecretsAtRest secrets = new SecretsAtRest(KeyRing.load(new KeyProperties(RING, null, null, false)));

    @Test
    void opensASeedTheBenchmarkSealed() {
        assertThat(secrets.open(SEALED_BY_THE_BENCHMARK, "token-seed:42"))
                .isEqualTo("12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void refusesItForAnotherTokenRow() {
        assertThatThrownBy(() -> secrets.open(SEALED_BY_THE_BENCHMARK, "token-seed:43"))
                .isInstanceOf(IllegalStateException.class);
    }
}
