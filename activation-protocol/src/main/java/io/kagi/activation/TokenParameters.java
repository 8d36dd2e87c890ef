package io.kagi.activation;

/**
 * What a token computes: the TOTP algorithm ({@code SHA1}, {@code SHA256} or {@code SHA512}), the
 * number of digits (6 to 8) and the period in seconds. Bound into the seed derivation through
 * {@link #canonical()}.
 */
public record TokenParameters(String algorithm, int digits, int period) {

    public TokenParameters {
        if (algorithm == null || !algorithm.matches("SHA1|SHA256|SHA512")) {
            throw new IllegalArgumentException("The algorithm is SHA1, SHA256 or SHA512");
        }
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("A code has 6 to 8 digits");
        }
        if (period < 1 || period > 600) {
            throw new IllegalArgumentException("The period is 1 to 600 seconds");
        }
    }

    /** The default of the product: HMAC-SHA-256, 6 digits, 60 seconds. */
    public static TokenParameters defaults() {
        return new TokenParameters("SHA256", 6, 60);
    }

    /** {@code "<algorithm>:<digits>:<period>"}, e.g. {@code "SHA256:6:60"}. */
    public String canonical() {
        return algorithm + ":" + digits + ":" + period;
    }

    /** The seed length: the hash's output, 20 bytes for SHA1, 32 for SHA256, 64 for SHA512. */
    public int seedBytes() {
        return switch (algorithm) {
            case "SHA1" -> 20;
            case "SHA256" -> 32;
            default -> 64;
        };
    }
}
