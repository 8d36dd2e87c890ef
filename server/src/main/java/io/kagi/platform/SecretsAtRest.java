package io.kagi.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

/**
 * Encrypts secrets for storage (AES-256-GCM, a random 96-bit nonce per message, 128-bit tag) under
 * the key ring's active key, and decrypts them under whichever key they name.
 *
 * <p>The stored form is {@code keyId:base64(nonce || ciphertext || tag)}. The {@code context}
 * (for example {@code "token-seed:42"}) is authenticated as associated data, so a sealed value
 * copied to another row or purpose does not open. Thread-safe.
 */
@Component
public class SecretsAtRest {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final KeyRing keyRing;
    private final SecureRandom random = new SecureRandom();
    /** One Cipher per thread: Cipher.getInstance looks the provider up each time; init resets it fully. */
    private final java.util.concurrent.ConcurrentMap<String, SecretKeySpec> digestKeys =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(SecretsAtRest::newCipher);

    SecretsAtRest(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /** Seals {@code plaintext} for {@code context} under the active key. */
    public String seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, keyRing.active(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return keyRing.activeId() + ":" + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a value made by {@link #seal}; throws {@link IllegalStateException} when the key is not
     * in the ring, or the value was altered or belongs to another context.
     */
    public byte[] open(String sealed, String context) {
        int separator = sealed.indexOf(':');
        if (separator <= 0) {
            throw new IllegalStateException("A sealed value must start with its key id");
        }
        SecretKey key = keyRing.key(sealed.substring(0, separator));
        byte[] data = Base64.getDecoder().decode(sealed.substring(separator + 1));
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A sealed value did not open: altered, or sealed for another context");
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * A keyed digest of {@code value} for {@code purpose}: HMAC-SHA-256 under a key derived from
     * the active key-encryption key (HMAC of the purpose), Base64url of its first 18 bytes. For
     * values that must be counted or matched but never stored in clear (a login ID typed by someone
     * unknown may be a password). When the active key changes, digests change with it: what was
     * counted under the old key starts again from nothing.
     */
    public String keyedDigest(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(digestKeys.computeIfAbsent(keyRing.activeId() + "/" + purpose, ignored -> derive(purpose)));
            byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 18));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private SecretKeySpec derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyRing.active().getEncoded(), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(("kagi keyed digest v1 " + purpose).getBytes(StandardCharsets.UTF_8)),
                    "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    /** The ids of every key in the ring: each still opens what it sealed. */
    public java.util.Set<String> keyIds() {
        return keyRing.ids();
    }

    /** The id of the key new secrets are sealed under; rows sealed under another may be re-sealed. */
    public String activeKeyId() {
        return keyRing.activeId();
    }
}
