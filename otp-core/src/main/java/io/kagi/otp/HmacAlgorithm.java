package io.kagi.otp;

import java.util.Locale;

/**
 * The HMAC functions of RFC 4226 §5, RFC 6238 §1.2 and RFC 6287 §5.1.
 */
public enum HmacAlgorithm {

    /** HMAC-SHA-1, the RFC 4226 default; 20-byte output. */
    SHA1("HmacSHA1", "SHA-1", 20, 20),
    /** HMAC-SHA-256; 32-byte output. */
    SHA256("HmacSHA256", "SHA-256", 32, 32),
    /** HMAC-SHA-512; 64-byte output. */
    SHA512("HmacSHA512", "SHA-512", 64, 64);

    private final String jcaName;
    private final String digestName;
    private final int macBytes;
    private final int recommendedSecretBytes;

    HmacAlgorithm(String jcaName, String digestName, int macBytes, int recommendedSecretBytes) {
        this.jcaName = jcaName;
        this.digestName = digestName;
        this.macBytes = macBytes;
        this.recommendedSecretBytes = recommendedSecretBytes;
    }

    /** The standard JCA name of the MAC, such as {@code "HmacSHA256"}. */
    public String jcaName() {
        return jcaName;
    }

    /** The standard JCA name of the underlying hash, such as {@code "SHA-256"}. */
    public String digestName() {
        return digestName;
    }

    /** Length of the HMAC output in bytes (20, 32 or 64). */
    public int macBytes() {
        return macBytes;
    }

    /**
     * Secret length in bytes that matches the hash output (20, 32 or 64), as the seeds of
     * RFC 6238 Appendix B do; RFC 4226 §4 R6 asks for at least 16 and recommends 20 for SHA-1.
     */
    public int recommendedSecretBytes() {
        return recommendedSecretBytes;
    }

    /**
     * The algorithm named {@code name}: {@code SHA1}, {@code SHA256} or {@code SHA512}, in any
     * case, with or without a hyphen ({@code SHA-256}) or an {@code Hmac} prefix
     * ({@code HmacSHA256}), as {@code otpauth://} URIs and OCRA suites write them.
     *
     * @throws OtpFormatException if the name is none of these
     */
    public static HmacAlgorithm fromName(String name) {
        if (name == null) {
            throw new OtpFormatException("HMAC algorithm name is missing");
        }
        String normalised = name.toUpperCase(Locale.ROOT).replace("-", "");
        if (normalised.startsWith("HMAC")) {
            normalised = normalised.substring(4);
        }
        return switch (normalised) {
            case "SHA1" -> SHA1;
            case "SHA256" -> SHA256;
            case "SHA512" -> SHA512;
            default -> throw new OtpFormatException(
                    "unknown HMAC algorithm '" + name + "': expected SHA1, SHA256 or SHA512");
        };
    }
}
