package io.kagi.otp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A token in the Key URI format that authenticator apps read from QR codes:
 * {@code otpauth://TYPE/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}
 * (and {@code counter=N} for HOTP).
 *
 * <p>Defaults when a parameter is absent: algorithm SHA1, 6 digits, period 30 seconds. The secret
 * is Base32 without padding (padding and lowercase are accepted when parsing). Issuer and account
 * are percent-encoded as UTF-8 and may not contain a colon; if both the label and the
 * {@code issuer} parameter name an issuer, they must agree. Parameters this class does not know
 * (such as {@code image}) are ignored; a known parameter given twice is refused.
 *
 * <p>The secret is copied in and out; {@link #toString()} leaves it out. Equality compares the
 * secret's contents.
 *
 * @param type      TOTP or HOTP
 * @param issuer    the provider or service, or the empty string when there is none
 * @param account   the user's account name, not blank
 * @param secret    the shared secret, at least 16 bytes (RFC 4226 §4 R6)
 * @param algorithm the HMAC function
 * @param digits    code length, 6 to 8
 * @param period    the TOTP step, a positive whole number of seconds (30 s for HOTP, where unused)
 * @param counter   the initial HOTP counter, not negative (0 for TOTP, where unused)
 */
public record OtpAuthUri(Type type, String issuer, String account, byte[] secret,
                         HmacAlgorithm algorithm, int digits, Duration period, long counter) {

    /** The two kinds of token of the Key URI format. */
    public enum Type { TOTP, HOTP }

    private static final String SCHEME = "otpauth://";
    private static final Duration DEFAULT_PERIOD = Duration.ofSeconds(30);

    public OtpAuthUri {
        if (type == null || issuer == null || account == null || secret == null
                || algorithm == null || period == null) {
            throw new IllegalArgumentException("type, issuer, account, secret, algorithm and period are required"
                    + " (issuer may be empty)");
        }
        if (account.isBlank()) {
            throw new OtpFormatException("account name is missing");
        }
        if (issuer.indexOf(':') >= 0 || account.indexOf(':') >= 0) {
            throw new OtpFormatException("issuer and account name may not contain ':'");
        }
        if (secret.length < HmacEngine.MINIMUM_SECRET_BYTES) {
            throw new OtpFormatException("secret is " + secret.length + " bytes; at least "
                    + HmacEngine.MINIMUM_SECRET_BYTES + " are required (RFC 4226 section 4, R6)");
        }
        if (digits < 6 || digits > 8) {
            throw new OtpFormatException("digits must be from 6 to 8, not " + digits);
        }
        if (period.isNegative() || period.isZero() || period.getNano() != 0) {
            throw new OtpFormatException("period must be a positive whole number of seconds, not " + period);
        }
        if (counter < 0) {
            throw new OtpFormatException("counter must not be negative, not " + counter);
        }
        secret = secret.clone();
    }

    /** A TOTP token URI with the settings of {@code totp}, whose T0 must be the Unix epoch. */
    public static OtpAuthUri totp(String issuer, String account, byte[] secret, Totp totp) {
        if (!totp.t0().equals(java.time.Instant.EPOCH)) {
            throw new IllegalArgumentException("the Key URI format has no T0; the TOTP must count from the epoch");
        }
        return new OtpAuthUri(Type.TOTP, issuer, account, secret, totp.algorithm(), totp.digits(), totp.step(), 0);
    }

    /** A copy of the secret. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * The TOTP these settings describe (T0 at the epoch).
     *
     * @throws IllegalStateException if this is an HOTP token
     */
    public Totp totp() {
        if (type != Type.TOTP) {
            throw new IllegalStateException("this is an HOTP token");
        }
        return new Totp(algorithm, digits, period);
    }

    /** The HOTP these settings describe; for a TOTP token, the HOTP beneath it. */
    public Hotp hotp() {
        return new Hotp(algorithm, digits);
    }

    /**
     * Reads a Key URI.
     *
     * @throws OtpFormatException naming what is malformed: the scheme, the type, the label, a
     *                            parameter, or the secret's Base32 (never the secret itself)
     */
    public static OtpAuthUri parse(String uri) {
        if (uri == null) {
            throw new OtpFormatException("otpauth URI is missing");
        }
        if (!uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new OtpFormatException("not an otpauth:// URI");
        }
        int typeEnd = uri.indexOf('/', SCHEME.length());
        if (typeEnd < 0) {
            throw new OtpFormatException("otpauth URI has no label (otpauth://totp/ISSUER:ACCOUNT?...)");
        }
        String typeName = uri.substring(SCHEME.length(), typeEnd);
        Type type = switch (typeName.toLowerCase(Locale.ROOT)) {
            case "totp" -> Type.TOTP;
            case "hotp" -> Type.HOTP;
            default -> throw new OtpFormatException("otpauth type '" + typeName + "' is neither totp nor hotp",
                    SCHEME.length());
        };
        int queryStart = uri.indexOf('?', typeEnd);
        if (queryStart < 0) {
            throw new OtpFormatException("otpauth URI has no parameters; secret is required");
        }
        String label = percentDecode(uri.substring(typeEnd + 1, queryStart), "label");
        String labelIssuer = "";
        // Spaces may precede the account name, with or without an issuer before it.
        String account = label.stripLeading();
        int colon = label.indexOf(':');
        if (colon >= 0) {
            labelIssuer = label.substring(0, colon);
            account = label.substring(colon + 1).stripLeading();
        }
        Map<String, String> parameters = parameters(uri.substring(queryStart + 1));

        String secretText = parameters.get("secret");
        if (secretText == null || secretText.isEmpty()) {
            throw new OtpFormatException("otpauth URI has no secret parameter");
        }
        byte[] secret;
        try {
            secret = Base32.decode(secretText);
        } catch (OtpFormatException e) {
            throw new OtpFormatException("secret parameter: " + e.getMessage());
        }
        String issuer = parameters.getOrDefault("issuer", labelIssuer);
        if (!labelIssuer.isEmpty() && !labelIssuer.equals(issuer)) {
            throw new OtpFormatException("issuer parameter '" + issuer + "' differs from the label's issuer '"
                    + labelIssuer + "'");
        }
        HmacAlgorithm algorithm = parameters.containsKey("algorithm")
                ? HmacAlgorithm.fromName(parameters.get("algorithm"))
                : HmacAlgorithm.SHA1;
        int digits = parameters.containsKey("digits") ? number(parameters, "digits", 1) : 6;
        // HOTP has no period: one given is ignored, so the value equals what toUriString() writes.
        Duration period = type == Type.TOTP && parameters.containsKey("period")
                ? Duration.ofSeconds(number(parameters, "period", 1)) : DEFAULT_PERIOD;
        long counter = 0;
        if (type == Type.HOTP) {
            if (!parameters.containsKey("counter")) {
                throw new OtpFormatException("hotp URI has no counter parameter");
            }
            counter = number(parameters, "counter", 0);
        }
        try {
            return new OtpAuthUri(type, issuer, account, secret, algorithm, digits, period, counter);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The URI, label {@code ISSUER:ACCOUNT} (or {@code ACCOUNT}), secret in unpadded Base32, every
     * parameter written out. {@link #parse} reads it back to an equal value.
     */
    public String toUriString() {
        StringBuilder uri = new StringBuilder(SCHEME).append(type.name().toLowerCase(Locale.ROOT)).append('/');
        if (!issuer.isEmpty()) {
            uri.append(percentEncode(issuer)).append(':');
        }
        uri.append(percentEncode(account));
        uri.append("?secret=").append(Base32.encodeWithoutPadding(secret));
        if (!issuer.isEmpty()) {
            uri.append("&issuer=").append(percentEncode(issuer));
        }
        uri.append("&algorithm=").append(algorithm.name());
        uri.append("&digits=").append(digits);
        if (type == Type.TOTP) {
            uri.append("&period=").append(period.getSeconds());
        } else {
            uri.append("&counter=").append(counter);
        }
        return uri.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OtpAuthUri that
                && type == that.type && issuer.equals(that.issuer) && account.equals(that.account)
                && java.security.MessageDigest.isEqual(secret, that.secret)
                && algorithm == that.algorithm && digits == that.digits
                && period.equals(that.period) && counter == that.counter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, issuer, account, algorithm, digits, period, counter);
    }

    /** Every field but the secret. */
    @Override
    public String toString() {
        return "OtpAuthUri[type=" + type + ", issuer=" + issuer + ", account=" + account
                + ", secret=(hidden), algorithm=" + algorithm + ", digits=" + digits
                + ", period=" + period + ", counter=" + counter + "]";
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : percentDecode(pair.substring(equals + 1), name + " parameter");
            if (parameters.put(name, value) != null
                    && Arrays.asList("secret", "issuer", "algorithm", "digits", "period", "counter").contains(name)) {
                throw new OtpFormatException("otpauth URI gives the " + name + " parameter twice");
            }
        }
        return parameters;
    }

    private static int number(Map<String, String> parameters, String name, int minimum) {
        String value = parameters.get(name);
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new OtpFormatException(name + " parameter '" + value + "' is not a number");
        }
        int number = Integer.parseInt(value);
        if (number < minimum) {
            throw new OtpFormatException(name + " parameter must be at least " + minimum + ", not " + number);
        }
        return number;
    }

    private static String percentDecode(String text, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
                if (low < 0) {
                    throw new OtpFormatException(what + " has a '%' not followed by two hex digits", i);
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new OtpFormatException(what + " is not percent-encoded UTF-8");
        }
    }

    private static String percentEncode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
