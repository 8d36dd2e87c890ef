package io.kagi.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedSealerTests {

    /** The server's SealedOutsideTheServerTests opens exactly this value with SecretsAtRest. */
    static final String OPENED_BY_THE_SERVER_TEST =
            "bench-1:oKGio6Slpqeoqaqr1ypPGXD9NYdbVbbhNE716EeUYCCjhXFYqTgRvkabRDMrdyt2fSEJFvy5vcYpY0FK";

    private final byte[] key = sequence(0, 32);
    private final byte[] seed = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sealsAsTheServerExpects() {
        SeedSealer sealer = new SeedSealer("bench-1", key);

        assertThat(sealer.seal(seed, "token-seed:42", sequence(0xa0, 12))).isEqualTo(OPENED_BY_THE_SERVER_TEST);
        assertThat(sealer.ringEntry()).isEqualTo("bench-1=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    }

    @Test
    void theSealedValueIsNonceCiphertextAndTagUnderTheContext() throws Exception {
        SeedSealer sealer = new SeedSealer("k", key);
        String sealed = sealer.seal(seed, "token-seed:7", sequence(1, 12));

        byte[] data = Base64.getDecoder().decode(sealed.substring("k:".length()));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, data, 0, 12));
        cipher.updateAAD("token-seed:7".getBytes(StandardCharsets.UTF_8));

        assertThat(data).hasSize(12 + seed.length + 16);
        assertThat(cipher.doFinal(data, 12, data.length - 12)).isEqualTo(seed);
    }

    @Test
    void refusesAKeyThatIsNotAes256() {
        assertThatThrownBy(() -> new SeedSealer("k", new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] sequence(int first, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
