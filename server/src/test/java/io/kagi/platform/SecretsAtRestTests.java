package io.kagi.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsAtRestTests {

    private static final String KEY_ONE = "one=" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_TWO = "two=" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private final byte[] seed = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void opensWhatItSealed() {
        SecretsAtRest secrets = secrets(KEY_ONE, null);

        String sealed = secrets.seal(seed, "token-seed:1");

        assertThat(sealed).startsWith("one:").doesNotContain(Base64.getEncoder().encodeToString(seed));
        assertThat(secrets.open(sealed, "token-seed:1")).isEqualTo(seed);
    }

    @Test
    void sealsTheSameSecretDifferentlyEachTime() {
        SecretsAtRest secrets = secrets(KEY_ONE, null);

        assertThat(secrets.seal(seed, "token-seed:1")).isNotEqualTo(secrets.seal(seed, "token-seed:1"));
    }

    @Test
    void refusesToOpenForAnotherContext() {
        SecretsAtRest secrets = secrets(KEY_ONE, null);
        String sealed = secrets.seal(seed, "token-seed:1");

        assertThatThrownBy(() -> secrets.open(sealed, "token-seed:2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesAnAlteredValue() {
        SecretsAtRest secrets = secrets(KEY_ONE, null);
        String sealed = secrets.seal(seed, "token-seed:1");
        char last = sealed.charAt(sealed.length() - 3);
        String altered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);

        assertThatThrownBy(() -> secrets.open(altered, "token-seed:1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsOpeningOldValuesAfterTheActiveKeyRotates() {
        String sealedUnderOne = secrets(KEY_ONE, null).seal(seed, "token-seed:1");

        SecretsAtRest rotated = secrets(KEY_ONE + "," + KEY_TWO, "two");

        assertThat(rotated.activeKeyId()).isEqualTo("two");
        assertThat(rotated.seal(seed, "token-seed:1")).startsWith("two:");
        assertThat(rotated.open(sealedUnderOne, "token-seed:1")).isEqualTo(seed);
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        String shortKey = "short=" + Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> secrets(shortKey, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32");
    }

    @Test
    void generatesAPrivateKeyFileOnlyWhenAllowed(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("keys.properties");

        assertThatThrownBy(() -> KeyRing.load(new KeyProperties(null, file, null, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");

        KeyRing generated = KeyRing.load(new KeyProperties(null, file, null, true));

        assertThat(generated.activeId()).isEqualTo("local-1");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(KeyRing.load(new KeyProperties(null, file, null, false)).active()).isEqualTo(generated.active());
    }

    @ParameterizedTest
    @ValueSource(strings = {":", " ", ";", ""})
    void refusesAnEntryNotWrittenIdEqualsBase64WithoutShowingTheKey(String separator) {
        String material = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        String entry = "local-1" + separator + material;

        assertThatThrownBy(() -> secrets(entry, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("id=base64")
                .satisfies(refusal -> assertThat(refusal.getMessage())
                        .doesNotContain(material.substring(0, 8))
                        .doesNotContain(material.substring(material.length() - 9, material.length() - 1)));
    }

    @Test
    void readsAnEntryWhoseKeyEndsInBase64Padding() {
        assertThat(KeyRing.load(new KeyProperties(KEY_TWO, null, null, false)).activeId()).isEqualTo("two");
    }

    @Test
    void neverWritesAGeneratedKeyThroughALinkAtTheKeyFilesPlace(@TempDir Path directory) throws Exception {
        Path elsewhere = directory.resolve("readable-by-others.properties");
        Path file = Files.createSymbolicLink(directory.resolve("keys.properties"), elsewhere);

        assertThatThrownBy(() -> KeyRing.load(new KeyProperties(null, file, null, true)))
                .hasMessageContaining("Cannot read or create the key file");
        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void neverShowsTheRingInItsSettings() {
        assertThat(new KeyProperties(KEY_ONE, null, "one", false).toString()).doesNotContain(KEY_ONE.substring(4));
    }

    private static SecretsAtRest secrets(String ring, String active) {
        return new SecretsAtRest(KeyRing.load(new KeyProperties(ring, null, active, false)));
    }
}
