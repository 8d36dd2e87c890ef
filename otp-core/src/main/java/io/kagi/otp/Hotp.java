package io.kagi.otp;

/**
 * HOTP, the HMAC-based one-time password of RFC 4226.
 *
 * <p>{@code HOTP(K, C) = Truncate(HMAC(K, C)) mod 10^digits} with the counter {@code C} as
 * 8 bytes big-endian (RFC 4226 §5.2–5.3). The counter is the full unsigned 64-bit range:
 * negative {@code long} values stand for counters of 2<sup>63</sup> and above.
 *
 * <p>Instances are immutable and thread-safe. Each thread reuses one {@link javax.crypto.Mac}
 * per algorithm and re-keys it on every call, so no call allocates beyond the returned code;
 * the last key used stays in that thread's MAC until the next call re-keys it.
 */
public final class Hotp {

    private final HmacAlgorithm algorithm;
    private final int digits;

    /**
     * @param algorithm the HMAC function (RFC 4226 specifies SHA-1; SHA-256 and SHA-512 as
     *                  RFC 6238 §1.2 allows)
     * @param digits    code length, 6 to 8 (RFC 4226 §5.3)
     * @throws IllegalArgumentException if {@code digits} is out of range
     */
    public Hotp(HmacAlgorithm algorithm, int digits) {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm is missing");
        }
        HmacEngine.checkDigits(digits, 6, 8);
        this.algorithm = algorithm;
        this.digits = digits;
    }

    public HmacAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    /**
     * The code for {@code counter}, exactly {@link #digits()} characters with leading zeros.
     *
     * @param secret  the shared secret K, at least 16 bytes (RFC 4226 §4 R6); not modified
     * @param counter the moving factor C, read as unsigned 64 bits
     * @throws IllegalArgumentException if the secret is missing or shorter than 16 bytes
     */
    public String generate(byte[] secret, long counter) {
        HmacEngine.checkSecret(secret);
        HmacEngine engine = HmacEngine.forCurrentThread(algorithm).key(secret);
        return engine.code(engine.truncatedHmac(counter), digits);
    }

    /**
     * Whether {@code code} is the code for {@code counter}, compared in constant time. A code of
     * the wrong length or with anything but ASCII digits does not match.
     *
     * @throws IllegalArgumentException if the secret is missing or shorter than 16 bytes
     */
    public boolean matches(byte[] secret, CharSequence code, long counter) {
        HmacEngine.checkSecret(secret);
        HmacEngine engine = HmacEngine.forCurrentThread(algorithm).key(secret);
        return HmacEngine.matches(engine.truncatedHmac(counter), new byte[digits],
                HmacEngine.expectedDigits(code, digits));
    }

    @Override
    public String toString() {
        return "Hotp[" + algorithm + ", " + digits + " digits]";
    }
}
