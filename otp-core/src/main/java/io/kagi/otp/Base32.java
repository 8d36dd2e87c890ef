package io.kagi.otp;

import java.nio.charset.StandardCharsets;

/**
 * Base32 of RFC 4648 §6 (alphabet {@code A-Z 2-7}), the encoding of secrets in
 * {@code otpauth://} URIs and in manual entry.
 *
 * <p>Decoding is case-insensitive and accepts text with or without the {@code =} padding; it
 * refuses anything else with the position of the first bad character: characters outside the
 * alphabet (spaces included), padding in the wrong place or of the wrong length, a length that
 * no input can encode to, and non-zero bits after the last whole byte (RFC 4648 §3.5). Stateless
 * and thread-safe.
 */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
            VALUES[Character.toLowerCase(ALPHABET[i])] = (byte) i;
        }
    }

    private Base32() {
    }

    /**
     * {@code bytes} in Base32 without padding, as the Key URI format asks for the
     * {@code secret} parameter.
     */
    public static String encodeWithoutPadding(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes are missing");
        }
        byte[] text = new byte[(bytes.length * 8 + 4) / 5];
        int buffer = 0;
        int bits = 0;
        int out = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                text[out++] = (byte) ALPHABET[(buffer >>> bits) & 31];
            }
        }
        if (bits > 0) {
            text[out++] = (byte) ALPHABET[(buffer << (5 - bits)) & 31];
        }
        return new String(text, 0, out, StandardCharsets.US_ASCII);
    }

    /**
     * The bytes that {@code text} encodes.
     *
     * @throws OtpFormatException with the position of the first character that is not Base32,
     *                            or the reason the length or padding is impossible
     */
    public static byte[] decode(CharSequence text) {
        if (text == null) {
            throw new OtpFormatException("Base32 text is missing");
        }
        int length = text.length();
        int dataLength = length;
        while (dataLength > 0 && text.charAt(dataLength - 1) == '=') {
            dataLength--;
        }
        for (int i = 0; i < dataLength; i++) {
            char c = text.charAt(i);
            if (c >= 128 || VALUES[c] < 0) {
                throw new OtpFormatException(c == '='
                        ? "Base32 padding '=' before the end"
                        : "character '" + printable(c) + "' is not Base32 (A-Z, 2-7)", i);
            }
        }
        int remainder = dataLength % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            throw new OtpFormatException("Base32 text has " + dataLength
                    + " characters before padding, a length no bytes encode to", dataLength);
        }
        if (dataLength != length && length % 8 != 0) {
            throw new OtpFormatException("Base32 padding must fill the text to a multiple of 8 characters; it has "
                    + length, length);
        }
        if (dataLength != length && length - dataLength >= 8) {
            throw new OtpFormatException("Base32 text has a whole block of padding", dataLength);
        }
        byte[] bytes = new byte[dataLength * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int out = 0;
        for (int i = 0; i < dataLength; i++) {
            buffer = (buffer << 5) | VALUES[text.charAt(i)];
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                bytes[out++] = (byte) (buffer >>> bits);
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new OtpFormatException("Base32 text has non-zero bits after the last byte", dataLength - 1);
        }
        return bytes;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }
}
