package io.kagi.otp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * OCRA, the OATH challenge-response algorithm of RFC 6287, for one suite:
 * {@code OCRA(K, DataInput) = HOTP-truncate(HMAC(K, suite | 0x00 | [C] | Q | [P] | [S] | [T]))}
 * (RFC 6287 §5.1–5.2).
 *
 * <ul>
 *   <li>One-way challenge-response (§7.1): {@link #response} and {@link #verify}, with the
 *       server's challenge as the question.</li>
 *   <li>Signature (§7.2): the same calls with the data to sign (for a transfer, the payee account
 *       and amount encoded as the question) as the question; a time step in the suite bounds how
 *       long a signature stays valid.</li>
 *   <li>Mutual challenge-response (§7.3): {@link #serverResponse} over the client's then the
 *       server's challenge, {@link #clientResponse} over the server's then the client's.</li>
 * </ul>
 *
 * <p>The question is encoded as §5.1 specifies, in the reference implementation's way: format
 * {@code A} as its ASCII bytes, {@code N} as the hexadecimal nibbles of the decimal number,
 * {@code H} as its nibbles, each left-aligned in 128 bytes and padded with zeros; session
 * information shorter than the suite's length is padded with leading zeros. The counter and the
 * time step number are 8 bytes big-endian.
 *
 * <p>Instances are immutable and thread-safe; each thread reuses one MAC per algorithm.
 */
public final class Ocra {

    private static final int QUESTION_BYTES = 128;

    private final OcraSuite suite;
    private final byte[] suiteBytes;

    /** @param suite the suite that fixes the HMAC, the length and the inputs */
    public Ocra(OcraSuite suite) {
        if (suite == null) {
            throw new IllegalArgumentException("suite is missing");
        }
        this.suite = suite;
        this.suiteBytes = suite.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public OcraSuite suite() {
        return suite;
    }

    /**
     * The response to {@code input} (one-way challenge-response, §7.1, or a signature, §7.2).
     *
     * @param key the shared secret, at least 16 bytes
     * @throws OtpFormatException       if the input does not fit the suite (says which part and why)
     * @throws IllegalArgumentException if the key is too short
     */
    public String response(byte[] key, OcraInput input) {
        checkQuestion(input.question(), "question");
        return compute(key, input, input.question());
    }

    /**
     * Whether {@code response} is the response to {@code input}, compared in constant time. A
     * response of the wrong length or with anything but digits does not match.
     *
     * @throws OtpFormatException       if the input does not fit the suite
     * @throws IllegalArgumentException if the key is too short
     */
    public boolean verify(byte[] key, OcraInput input, CharSequence response) {
        return responsesEqual(response(key, input), response);
    }

    /**
     * The server's response in mutual mode (§7.3): over the client's challenge, which is the
     * question of {@code input}, followed by {@code serverChallenge}.
     *
     * @throws OtpFormatException if a challenge or the input does not fit the suite
     */
    public String serverResponse(byte[] key, OcraInput input, String serverChallenge) {
        checkQuestion(input.question(), "client challenge");
        checkQuestion(serverChallenge, "server challenge");
        return compute(key, input, input.question() + serverChallenge);
    }

    /**
     * The client's response in mutual mode (§7.3): over {@code serverChallenge} followed by the
     * client's challenge, which is the question of {@code input}.
     *
     * @throws OtpFormatException if a challenge or the input does not fit the suite
     */
    public String clientResponse(byte[] key, OcraInput input, String serverChallenge) {
        checkQuestion(input.question(), "client challenge");
        checkQuestion(serverChallenge, "server challenge");
        return compute(key, input, serverChallenge + input.question());
    }

    /**
     * Constant-time comparison of an expected response with a given one
     * ({@link MessageDigest#isEqual} on their ASCII digits), for mutual-mode checks.
     */
    public static boolean responsesEqual(String expected, CharSequence given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                HmacEngine.expectedDigits(given, expected.length()));
    }

    /**
     * The password hash that suite {@code P} inputs expect: the suite's hash of the password's
     * UTF-8 bytes (RFC 6287 Appendix C hashes the PIN {@code 1234} with SHA-1).
     *
     * @throws IllegalStateException if the suite has no password input
     */
    public byte[] hashPassword(CharSequence password) {
        HmacAlgorithm hash = suite.passwordHash()
                .orElseThrow(() -> new IllegalStateException("suite " + suite + " has no password input"));
        try {
            return MessageDigest.getInstance(hash.digestName())
                    .digest(password.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hash.digestName() + " is missing from this JDK", e);
        }
    }

    private String compute(byte[] key, OcraInput input, String question) {
        HmacEngine.checkSecret(key);
        byte[] message = message(input, question);
        HmacEngine engine = HmacEngine.forCurrentThread(suite.algorithm()).key(key);
        return engine.code(engine.truncatedHmac(message), suite.digits());
    }

    private byte[] message(OcraInput input, String question) {
        byte[] passwordHash = input.passwordHashUncopied();
        byte[] session = input.sessionInformationUncopied();
        checkPresence(suite.counter(), input.counter() != null, "a counter (C)");
        checkPresence(suite.passwordHash().isPresent(), passwordHash != null, "a password hash (P)");
        checkPresence(suite.sessionInformationLength().isPresent(), session != null, "session information (S)");
        checkPresence(suite.timeStep().isPresent(), input.time() != null, "a time (T)");

        int passwordLength = suite.passwordHash().map(HmacAlgorithm::macBytes).orElse(0);
        if (passwordHash != null && passwordHash.length != passwordLength) {
            throw new OtpFormatException("password hash must be " + passwordLength + " bytes ("
                    + suite.passwordHash().orElseThrow() + "), not " + passwordHash.length);
        }
        int sessionLength = suite.sessionInformationLength().orElse(0);
        if (session != null && session.length > sessionLength) {
            throw new OtpFormatException("session information may be at most " + sessionLength + " bytes, not "
                    + session.length);
        }

        byte[] message = new byte[suiteBytes.length + 1 + (suite.counter() ? 8 : 0) + QUESTION_BYTES
                + passwordLength + sessionLength + (suite.timeStep().isPresent() ? 8 : 0)];
        int at = suiteBytes.length + 1;
        System.arraycopy(suiteBytes, 0, message, 0, suiteBytes.length);
        if (suite.counter()) {
            at = putLong(message, at, input.counter());
        }
        byte[] questionBytes = questionBytes(question);
        System.arraycopy(questionBytes, 0, message, at, questionBytes.length);
        at += QUESTION_BYTES;
        if (passwordHash != null) {
            System.arraycopy(passwordHash, 0, message, at, passwordLength);
            at += passwordLength;
        }
        if (session != null) {
            System.arraycopy(session, 0, message, at + sessionLength - session.length, session.length);
            at += sessionLength;
        }
        if (suite.timeStep().isPresent()) {
            long stepSeconds = suite.timeStep().orElseThrow().getSeconds();
            putLong(message, at, Math.floorDiv(input.time().getEpochSecond(), stepSeconds));
        }
        return message;
    }

    private byte[] questionBytes(String question) {
        byte[] bytes = switch (suite.questionFormat()) {
            case ALPHANUMERIC -> question.getBytes(StandardCharsets.US_ASCII);
            case NUMERIC -> nibbles(new BigInteger(question, 10).toString(16));
            case HEXADECIMAL -> nibbles(question);
        };
        if (bytes.length > QUESTION_BYTES) {
            throw new OtpFormatException("question takes " + bytes.length + " bytes; at most " + QUESTION_BYTES
                    + " fit");
        }
        return bytes;
    }

    /** Hex digits as bytes, left-aligned: an odd last digit fills the high nibble. */
    private static byte[] nibbles(String hex) {
        byte[] bytes = new byte[(hex.length() + 1) / 2];
        for (int i = 0; i < hex.length(); i++) {
            int nibble = Character.digit(hex.charAt(i), 16);
            bytes[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
        }
        return bytes;
    }

    private void checkQuestion(String question, String what) {
        if (question == null || question.isEmpty()) {
            throw new OtpFormatException(what + " is missing");
        }
        if (question.length() > suite.questionLength()) {
            throw new OtpFormatException(what + " has " + question.length() + " characters; suite " + suite
                    + " allows at most " + suite.questionLength());
        }
        for (int i = 0; i < question.length(); i++) {
            char c = question.charAt(i);
            boolean fits = switch (suite.questionFormat()) {
                case ALPHANUMERIC -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                case NUMERIC -> c >= '0' && c <= '9';
                case HEXADECIMAL -> Character.digit(c, 16) >= 0 && c < 128;
            };
            if (!fits) {
                throw new OtpFormatException(what + " character is not " + switch (suite.questionFormat()) {
                    case ALPHANUMERIC -> "an ASCII letter or digit (QA)";
                    case NUMERIC -> "a decimal digit (QN)";
                    case HEXADECIMAL -> "a hexadecimal digit (QH)";
                }, i);
            }
        }
    }

    private void checkPresence(boolean required, boolean present, String what) {
        if (required && !present) {
            throw new OtpFormatException("suite " + suite + " needs " + what);
        }
        if (!required && present) {
            throw new OtpFormatException("suite " + suite + " takes no " + what.replaceFirst("^an? ", "")
                    + ", but the input has one");
        }
    }

    private static int putLong(byte[] target, int at, long value) {
        for (int i = 7; i >= 0; i--) {
            target[at + i] = (byte) value;
            value >>>= 8;
        }
        return at + 8;
    }

    @Override
    public String toString() {
        return "Ocra[" + suite + "]";
    }
}
