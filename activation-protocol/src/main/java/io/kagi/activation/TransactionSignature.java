package io.kagi.activation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Ocra;
import io.kagi.otp.OcraInput;
import io.kagi.otp.OcraSuite;

/**
 * 取引認証, the code bound to a transaction (docs/transaction-signing.md): an OCRA signature
 * (RFC 6287 §7.2) under the token's own seed, whose question is the SHA-256 of a canonical text of
 * the transaction.
 * <pre>
 *   suite    = "OCRA-1:HOTP-" + the token's HMAC (SHA1, SHA256, SHA512) + "-8:QH64-T1M"
 *   Q        = hex(SHA-256(UTF-8(canonical text)))          (64 hexadecimal digits)
 *   T        = floor(unix seconds / 60)
 *   response = OCRA(seed, suite, Q, T)                        (8 digits)
 * </pre>
 * Two canonical texts, each lines {@code name:value} joined by LF, no LF at the end, values
 * without LF or CR:
 * <ul>
 *   <li>two-channel ({@value #TWO_CHANNEL}): the request's reference and everything the phone
 *       shows — purpose, bank, branch, account type, account number, holder name, amount;</li>
 *   <li>offline ({@value #OFFLINE}): only what the user types into the token: the payee's account
 *       number and the amount (empty for a request without one).</li>
 * </ul>
 * The same seed serves TOTP; the suite text at the head of OCRA's HMAC input keeps the two apart.
 * Stateless and thread-safe.
 */
public final class TransactionSignature {

    /** The first line of a two-channel canonical text. */
    public static final String TWO_CHANNEL = "kagi-transaction-1";
    /** The first line of an offline canonical text. */
    public static final String OFFLINE = "kagi-offline-1";
    /** Digits of a response. */
    public static final int DIGITS = 8;
    /** The OCRA time step. */
    public static final Duration STEP = Duration.ofMinutes(1);

    private TransactionSignature() {
    }

    /** The OCRA suite of a token whose HMAC is {@code algorithm} (SHA1, SHA256 or SHA512). */
    public static OcraSuite suite(String algorithm) {
        return OcraSuite.parse("OCRA-1:HOTP-" + HmacAlgorithm.fromName(algorithm).name() + "-" + DIGITS + ":QH64-T1M");
    }

    /**
     * The two-channel canonical text: {@code fields} in their order (purpose, bank, branch, type,
     * account, name, amount), after the header and the request's reference.
     *
     * @throws IllegalArgumentException if a name or value holds a line break or a name a colon
     */
    public static String twoChannel(String reference, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("request", reference);
        all.putAll(fields);
        return text(TWO_CHANNEL, all);
    }

    /**
     * The offline canonical text of what the user types: the account number (digits only) and the
     * amount (digits only, without separators; empty or null when the request has none).
     */
    public static String offline(String accountNumber, String amount) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("account", digitsOnly(accountNumber, "account number"));
        fields.put("amount", amount == null ? "" : digitsOnly(amount, "amount"));
        return text(OFFLINE, fields);
    }

    /** {@code Q}: the lower-case hex SHA-256 of the canonical text's UTF-8 bytes. */
    public static String question(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The response at {@code time} (its 1-minute step) to the canonical text's question. */
    public static String response(byte[] seed, String algorithm, String question, Instant time) {
        return new Ocra(suite(algorithm)).response(seed, OcraInput.question(question).withTime(time));
    }

    /**
     * The step in {@code [firstStep, lastStep]} whose response {@code response} is, compared in
     * constant time per step; -1 when none.
     */
    public static long matchingStep(byte[] seed, String algorithm, String question, CharSequence response,
                                    long firstStep, long lastStep) {
        Ocra ocra = new Ocra(suite(algorithm));
        long found = -1;
        for (long step = firstStep; step <= lastStep; step++) {
            String expected = ocra.response(seed, OcraInput.question(question)
                    .withTime(Instant.ofEpochSecond(step * STEP.getSeconds())));
            if (Ocra.responsesEqual(expected, response) && found < 0) {
                found = step;
            }
        }
        return found;
    }

    /**
     * What the token's {@code proof} of a request for its pending signing requests covers, under
     * its status key (docs/activation-protocol.md §7): {@code LP("kagi-signing-1/pending") | LP(serviceId)
     * | LP(userId) | LP(nonce)}.
     */
    public static byte[] pendingRequest(String serviceId, String userId, String nonce) {
        return AnswerAuthentication.fields("kagi-signing-1/pending", serviceId, userId, nonce);
    }

    /**
     * What the token's {@code proof} of its answer covers: {@code LP("kagi-signing-1/answer") |
     * LP(serviceId) | LP(userId) | LP(reference) | LP(decision) | LP(response) | LP(nonce)}, decision
     * {@code approve} or {@code deny}, response empty for a denial.
     */
    public static byte[] answerRequest(String serviceId, String userId, String reference, String decision,
                                       String response, String nonce) {
        return AnswerAuthentication.fields("kagi-signing-1/answer", serviceId, userId, reference, decision,
                response == null ? "" : response, nonce);
    }

    /** The 1-minute step of a time. */
    public static long step(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), STEP.getSeconds());
    }

    private static String digitsOnly(String value, String what) {
        if (value == null || !value.matches("[0-9]{1,20}")) {
            throw new IllegalArgumentException("The " + what + " must be 1 to 20 digits");
        }
        return value;
    }

    private static String text(String header, Map<String, String> fields) {
        StringBuilder text = new StringBuilder(header);
        fields.forEach((name, value) -> {
            String shown = value == null ? "" : value;
            if (name.contains(":") || name.contains("\n") || name.contains("\r") || shown.contains("\n")
                    || shown.contains("\r")) {
                throw new IllegalArgumentException("A field of a canonical text may hold no line break ("
                        + name + ")");
            }
            text.append('\n').append(name).append(':').append(shown);
        });
        return text.toString();
    }
}
