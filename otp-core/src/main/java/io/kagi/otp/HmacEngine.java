package io.kagi.otp;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * One {@link Mac} with preallocated buffers: the HOTP computation of RFC 4226 §5.3 (HMAC over
 * an 8-byte counter, dynamic truncation, decimal digits) without allocation on the hot path.
 *
 * <p>Not thread-safe. {@link #forCurrentThread} hands out one engine per thread and algorithm,
 * re-keyed on every use; {@link Totp.Keyed} owns one keyed once.
 */
final class HmacEngine {

    /** Secrets shorter than this are refused: RFC 4226 §4 requirement R6 (128 bits). */
    static final int MINIMUM_SECRET_BYTES = 16;

    private static final int[] POWERS_OF_TEN = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
    };

    private static final ThreadLocal<HmacEngine[]> PER_THREAD =
            ThreadLocal.withInitial(() -> new HmacEngine[HmacAlgorithm.values().length]);

    private final HmacAlgorithm algorithm;
    private final Mac mac;
    private final byte[] counterBytes = new byte[Long.BYTES];
    private final byte[] hmac;
    private final byte[] digits = new byte[10];

    HmacEngine(HmacAlgorithm algorithm) {
        this.algorithm = algorithm;
        try {
            this.mac = Mac.getInstance(algorithm.jcaName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jcaName() + " is missing from this JDK", e);
        }
        this.hmac = new byte[algorithm.macBytes()];
    }

    /** The calling thread's engine for {@code algorithm}; key it before use. */
    static HmacEngine forCurrentThread(HmacAlgorithm algorithm) {
        HmacEngine[] engines = PER_THREAD.get();
        HmacEngine engine = engines[algorithm.ordinal()];
        if (engine == null) {
            engine = new HmacEngine(algorithm);
            engines[algorithm.ordinal()] = engine;
        }
        return engine;
    }

    static void checkSecret(byte[] secret) {
        if (secret == null) {
            throw new IllegalArgumentException("secret is missing");
        }
        if (secret.length < MINIMUM_SECRET_BYTES) {
            throw new IllegalArgumentException("secret must be at least " + MINIMUM_SECRET_BYTES
                    + " bytes (RFC 4226 section 4, R6); it has " + secret.length);
        }
    }

    static void checkDigits(int digits, int minimum, int maximum) {
        if (digits < minimum || digits > maximum) {
            throw new IllegalArgumentException(
                    "digits must be from " + minimum + " to " + maximum + ", not " + digits);
        }
    }

    HmacAlgorithm algorithm() {
        return algorithm;
    }

    /** Keys the MAC with {@code secret}; the caller has checked it. */
    HmacEngine key(byte[] secret) {
        try {
            mac.init(new SecretKeySpec(secret, algorithm.jcaName()));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the secret is not a valid " + algorithm.jcaName() + " key", e);
        }
        return this;
    }

    /** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, then dynamic truncation to 31 bits. */
    int truncatedHmac(long counter) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            counterBytes[i] = (byte) counter;
            counter >>>= 8;
        }
        return truncatedHmac(counterBytes, counterBytes.length);
    }

    /** HMAC of {@code message[0, length)}, then dynamic truncation (RFC 4226 §5.3, RFC 6287 §5.2). */
    int truncatedHmac(byte[] message, int length) {
        try {
            mac.update(message, 0, length);
            mac.doFinal(hmac, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        int offset = hmac[hmac.length - 1] & 0x0f;
        return (hmac[offset] & 0x7f) << 24
                | (hmac[offset + 1] & 0xff) << 16
                | (hmac[offset + 2] & 0xff) << 8
                | (hmac[offset + 3] & 0xff);
    }

    /**
     * Writes the last {@code count} decimal digits of {@code truncated} into {@code target},
     * leading zeros kept (RFC 4226 §5.3 step 3).
     */
    static void writeDigits(int truncated, int count, byte[] target) {
        int rest = count >= POWERS_OF_TEN.length ? truncated : truncated % POWERS_OF_TEN[count];
        for (int i = count - 1; i >= 0; i--) {
            target[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
    }

    /** The code for {@code truncated} as a string of {@code count} digits. */
    String code(int truncated, int count) {
        writeDigits(truncated, count, digits);
        return new String(digits, 0, count, StandardCharsets.US_ASCII);
    }

    /**
     * {@code code} as ASCII bytes when it is exactly {@code count} decimal digits; otherwise an
     * array of {@code count} zero bytes, which equals no code.
     */
    static byte[] expectedDigits(CharSequence code, int count) {
        byte[] expected = new byte[count];
        if (code == null || code.length() != count) {
            return expected;
        }
        for (int i = 0; i < count; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return new byte[count];
            }
            expected[i] = (byte) c;
        }
        return expected;
    }

    /**
     * Constant-time comparison of the code for {@code truncated} with {@code expected}
     * ({@link MessageDigest#isEqual}); {@code candidate} is scratch space of the same length.
     */
    static boolean matches(int truncated, byte[] candidate, byte[] expected) {
        writeDigits(truncated, candidate.length, candidate);
        return MessageDigest.isEqual(candidate, expected);
    }
}
