package io.kagi.activation;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Version 2 of the exchange (docs/activation-protocol.md §6–§7): the keys both sides derive from
 * the SRP session key {@code K} besides the seed, and the messages they authenticate with them.
 * <pre>
 *   finishKey = HKDF-SHA256(IKM = K, salt', info = ASCII("kagi-activation-2|finish|" + I), 32)
 *   statusKey = HKDF-SHA256(IKM = K, salt', info = ASCII("kagi-activation-2|status|" + I), 32)
 *   MAC       = HMAC-SHA256(key, LP(label) | LP(field) | …)
 * </pre>
 * {@code LP(t)} is the UTF-8 bytes of a text preceded by their length as 4 big-endian bytes, so
 * no two field lists encode alike. Stateless and thread-safe.
 */
public final class AnswerAuthentication {

    /** The protocol a version-2 client names in its {@code start}. */
    public static final String PROTOCOL = "kagi-activation-2";
    /** The wire form of every time of the exchange: RFC 3339, UTC, exactly milliseconds. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The largest difference between a token's clock and the authority's that activation accepts
     * (the token refuses beyond it and asks for the clock to be set right).
     */
    public static final Duration MAX_CLOCK_OFFSET = Duration.ofMinutes(5);
    /** A status answer that took longer than this is not used to measure the clock (its error is half of it). */
    public static final Duration MAX_STATUS_ROUND_TRIP = Duration.ofSeconds(10);

    private AnswerAuthentication() {
    }

    /** {@code t} in its wire form, e.g. {@code 2026-11-24T09:30:16.250Z}. */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** A key derived from {@code K} for one purpose ({@code finish} or {@code status}). */
    static byte[] key(byte[] sessionKey, String identity, byte[] salt, BigInteger clientPublic, BigInteger serverPublic,
                      String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sessionKey, SeedDerivation.transcriptHash(identity, salt, clientPublic, serverPublic),
                Srp6a.ascii(PROTOCOL + "|" + purpose + "|" + identity)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    /** What the finish answer's {@code MAC} covers: every member but {@code M2} and itself. */
    public static byte[] finishMessage(String serviceId, String userId, String serviceName, TokenParameters parameters,
                                       String serverTime) {
        return fields(PROTOCOL + "/finish", serviceId, userId, serviceName, parameters.canonical(), serverTime);
    }

    /** What the token's {@code proof} of a status request covers. */
    public static byte[] statusRequest(String serviceId, String userId, String nonce) {
        return fields(PROTOCOL + "/status-request", serviceId, userId, nonce);
    }

    /** What the authority's {@code MAC} of a status answer covers. */
    public static byte[] statusAnswer(String serviceId, String userId, String nonce, String state, String serverTime) {
        return fields(PROTOCOL + "/status-answer", serviceId, userId, nonce, state, serverTime);
    }

    /** {@code LP(f1) | LP(f2) | …}. */
    static byte[] fields(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 24);
            out.write(bytes.length >>> 16);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** HMAC-SHA256 of a message, hex. */
    public static String mac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Whether {@code macHex} is the HMAC-SHA256 of the message; compared in constant time. */
    public static boolean verifies(byte[] key, byte[] message, String macHex) {
        byte[] received;
        try {
            received = HexFormat.of().parseHex(macHex);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        return MessageDigest.isEqual(received, HexFormat.of().parseHex(mac(key, message)));
    }
}
