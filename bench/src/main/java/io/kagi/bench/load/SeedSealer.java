package io.kagi.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals token seeds exactly as the server's {@code io.kagi.platform.SecretsAtRest} does, so that
 * rows written straight into the database open on the server: AES-256-GCM, a 96-bit nonce, a
 * 128-bit tag, the context ({@code token-seed:<row id>}) as associated data, stored as
 * {@code keyId:base64(nonce || ciphertext || tag)}. Not thread-safe (one cipher, reused).
 */
final class SeedSealer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String keyId;
    private final SecretKeySpec key;
    private final Cipher cipher;

    SeedSealer(String keyId, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The key ring entry the server reads from KAGI_KEYS_RING: {@code id=base64(key)}. */
    String ringEntry() {
        return keyId + "=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    String keyId() {
        return keyId;
    }

    /** Seals {@code plaintext} for {@code context} with the given nonce (a fresh random one per value in use). */
    String seal(byte[] plaintext, String context, byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("The nonce has 12 bytes");
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return keyId + ":" + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }
}
