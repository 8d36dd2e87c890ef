package io.kagi.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the key-encryption keys come from.
 *
 * <p>Either {@code ring} (typically the environment variable {@code KAGI_KEYS_RING}) or the file at
 * {@code file} holds one key a line as {@code id=base64}, 32 bytes each (AES-256). {@code active}
 * names the key that encrypts new secrets; the others still decrypt what they encrypted, so keys
 * can rotate. With {@code generateIfMissing} (the embedded default only) a missing file is created
 * with a fresh random key.
 */
@ConfigurationProperties("kagi.keys")
record KeyProperties(
        String ring,
        Path file,
        String active,
        @DefaultValue("false") boolean generateIfMissing) {

    @Override
    public String toString() {
        return "KeyProperties[file=" + file + ", active=" + active + ", generateIfMissing=" + generateIfMissing
                + ", ring=" + (ring == null ? "unset" : "(hidden)") + "]";
    }
}
