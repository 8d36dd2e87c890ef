package io.kagi.otp;

/**
 * Malformed input to this library: Base32 text, an {@code otpauth://} URI, an OCRA suite or
 * OCRA input that does not follow its specification.
 *
 * <p>The message says what is wrong and, where it helps, at which zero-based position. It never
 * contains a secret, a code or a password hash.
 */
public final class OtpFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;

    /**
     * @param reason what is wrong, without any secret material
     */
    public OtpFormatException(String reason) {
        this(reason, -1);
    }

    /**
     * @param reason   what is wrong, without any secret material
     * @param position zero-based position of the offending character, or -1 when there is none
     */
    public OtpFormatException(String reason, int position) {
        super(position < 0 ? reason : reason + " at position " + position);
        this.position = position;
    }

    /**
     * Zero-based position of the offending character in the input, or -1 when the problem is
     * not tied to one character.
     */
    public int position() {
        return position;
    }
}
