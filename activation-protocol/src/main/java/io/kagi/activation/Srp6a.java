package io.kagi.activation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.crypto.agreement.srp.SRP6StandardGroups;

/**
 * The arithmetic of the activation exchange: SRP-6a (RFC 2945, RFC 5054) over the RFC 5054
 * Appendix A 2048-bit group ({@code g = 2}) with SHA-256. Every quantity is defined in
 * {@code docs/activation-protocol.md}; the names here are the spec's.
 *
 * <p>Byte strings are big-endian; {@code PAD(x)} is {@code x} left-padded with zeros to the 256
 * bytes of {@code N}; {@code |} is concatenation; {@code H} is SHA-256. Stateless and thread-safe.
 */
public final class Srp6a {

    /** The version label bound into the seed derivation. */
    public static final String PROTOCOL = "kagi-activation-1";
    /** The RFC 5054 2048-bit prime. */
    public static final BigInteger N = SRP6StandardGroups.rfc5054_2048.getN();
    /** The generator of the RFC 5054 2048-bit group. */
    public static final BigInteger G = SRP6StandardGroups.rfc5054_2048.getG();
    /** Length of {@code N} in bytes, the length of every padded value on the wire. */
    public static final int LENGTH = 256;
    /** Length of a salt and of the private values a and b, in bytes. */
    public static final int RANDOM_BYTES = 32;

    private Srp6a() {
    }

    /** The SRP identity {@code I}: {@code "<サービスID>:<ユーザID>"}, e.g. {@code "12345678:012345"}. */
    public static String identity(String serviceId, String userId) {
        if (serviceId == null || !serviceId.matches("[0-9]{8}") || userId == null || !userId.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("A サービスID is 8 digits and a ユーザID 6 digits");
        }
        return serviceId + ":" + userId;
    }

    /** Refuses anything but an activation password of 4 to 8 ASCII digits. */
    static void checkPassword(char[] password) {
        if (password == null || password.length < 4 || password.length > 8) {
            throw new IllegalArgumentException("An activation password has 4 to 8 digits");
        }
        for (char c : password) {
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("An activation password has 4 to 8 digits");
            }
        }
    }

    /** {@code x = H(s | H(I | ":" | P))} as an unsigned integer (RFC 5054 §2.6). */
    public static BigInteger x(String identity, char[] password, byte[] salt) {
        checkPassword(password);
        byte[] passwordBytes = new byte[password.length];
        for (int i = 0; i < password.length; i++) {
            passwordBytes[i] = (byte) password[i];
        }
        try {
            byte[] inner = hash(ascii(identity), ascii(":"), passwordBytes);
            return unsigned(hash(salt, inner));
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    /** {@code v = g^x mod N}. */
    public static BigInteger verifier(String identity, char[] password, byte[] salt) {
        return G.modPow(x(identity, password, salt), N);
    }

    /** {@code k = H(N | PAD(g))} (RFC 5054 §2.5.3). */
    public static BigInteger k() {
        return unsigned(hash(pad(N), pad(G)));
    }

    /** {@code A = g^a mod N}. */
    public static BigInteger clientPublic(BigInteger a) {
        return G.modPow(a, N);
    }

    /** {@code B = (k*v + g^b) mod N}. */
    public static BigInteger serverPublic(BigInteger verifier, BigInteger b) {
        return k().multiply(verifier).add(G.modPow(b, N)).mod(N);
    }

    /** {@code u = H(PAD(A) | PAD(B))}. */
    public static BigInteger u(BigInteger clientPublic, BigInteger serverPublic) {
        return unsigned(hash(pad(clientPublic), pad(serverPublic)));
    }

    /** The client's premaster secret {@code S = (B - k*g^x)^(a + u*x) mod N}. */
    public static BigInteger clientSecret(BigInteger x, BigInteger a, BigInteger clientPublic, BigInteger serverPublic) {
        BigInteger u = u(clientPublic, serverPublic);
        BigInteger base = serverPublic.subtract(k().multiply(G.modPow(x, N))).mod(N);
        return base.modPow(a.add(u.multiply(x)), N);
    }

    /** The server's premaster secret {@code S = (A * v^u)^b mod N}. */
    public static BigInteger serverSecret(BigInteger verifier, BigInteger b, BigInteger clientPublic, BigInteger serverPublic) {
        BigInteger u = u(clientPublic, serverPublic);
        return clientPublic.multiply(verifier.modPow(u, N)).mod(N).modPow(b, N);
    }

    /** The session key {@code K = H(PAD(S))}, 32 bytes. */
    public static byte[] sessionKey(BigInteger premasterSecret) {
        return hash(pad(premasterSecret));
    }

    /** {@code M1 = H((H(N) XOR H(PAD(g))) | H(I) | s | PAD(A) | PAD(B) | K)} (RFC 2945 §3, with padded values). */
    public static byte[] clientProof(String identity, byte[] salt, BigInteger clientPublic, BigInteger serverPublic, byte[] sessionKey) {
        byte[] hashN = hash(pad(N));
        byte[] hashG = hash(pad(G));
        byte[] xor = new byte[hashN.length];
        for (int i = 0; i < xor.length; i++) {
            xor[i] = (byte) (hashN[i] ^ hashG[i]);
        }
        return hash(xor, hash(ascii(identity)), salt, pad(clientPublic), pad(serverPublic), sessionKey);
    }

    /** {@code M2 = H(PAD(A) | M1 | K)}. */
    public static byte[] serverProof(BigInteger clientPublic, byte[] clientProof, byte[] sessionKey) {
        return hash(pad(clientPublic), clientProof, sessionKey);
    }

    /** {@code PAD(x)}: big-endian, left-padded with zeros to 256 bytes. */
    public static byte[] pad(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 8 * LENGTH) {
            throw new IllegalArgumentException("A padded value is a non-negative integer of at most 2048 bits");
        }
        byte[] raw = value.toByteArray();
        byte[] padded = new byte[LENGTH];
        int copy = Math.min(raw.length, LENGTH);
        System.arraycopy(raw, raw.length - copy, padded, LENGTH - copy, copy);
        return padded;
    }

    /** The unsigned big-endian integer of {@code bytes}. */
    public static BigInteger unsigned(byte[] bytes) {
        return new BigInteger(1, bytes);
    }

    /**
     * Reads a public value (A or B) from its wire form (lowercase or uppercase hex, exactly 512
     * digits) and refuses one that is {@code 0 mod N} or not below N (RFC 5054 §2.5.4).
     */
    public static BigInteger publicValue(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new ActivationProtocolException("A public value is 512 hexadecimal digits");
        }
        BigInteger value;
        try {
            value = unsigned(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new ActivationProtocolException("A public value is 512 hexadecimal digits");
        }
        if (value.signum() == 0 || value.compareTo(N) >= 0) {
            throw new ActivationProtocolException("A public value must lie in (0, N)");
        }
        return value;
    }

    /** The wire form of a group element: {@code hex(PAD(x))}, lowercase. */
    public static String hex(BigInteger value) {
        return HexFormat.of().formatHex(pad(value));
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hash(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
