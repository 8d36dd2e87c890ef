package io.kagi.otp;

import java.security.SecureRandom;

/**
 * Fresh shared secrets for HOTP, TOTP and OCRA.
 *
 * <p>Thread-safe. Uses one {@link SecureRandom} with the platform's default algorithm, which
 * seeds itself from the operating system.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * A random secret of {@link HmacAlgorithm#recommendedSecretBytes()} bytes: 20 for SHA-1,
     * 32 for SHA-256, 64 for SHA-512, the hash's output size (RFC 4226 §4 R6 asks for at least
     * 128 bits and recommends 160 for SHA-1).
     */
    public static byte[] generate(HmacAlgorithm algorithm) {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm is missing");
        }
        byte[] secret = new byte[algorithm.recommendedSecretBytes()];
        RANDOM.nextBytes(secret);
        return secret;
    }
}
