package io.kagi.activation;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The token's side of one activation exchange (docs/activation-protocol.md §4): sends {@code A},
 * answers the server's salt and {@code B} with {@code M1}, checks the server's {@code M2}, then
 * derives the seed. One instance per exchange, confined to one thread; it keeps the password only
 * until {@link #respond} and never prints a secret.
 */
public final class SrpClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String identity;
    private final char[] password;
    private final BigInteger a;
    private final BigInteger clientPublic;
    private byte[] salt;
    private BigInteger serverPublic;
    private byte[] sessionKey;
    private byte[] clientProof;
    private boolean serverConfirmed;

    private SrpClient(String identity, char[] password, BigInteger a) {
        Srp6a.checkPassword(password);
        this.identity = identity;
        this.password = password.clone();
        this.a = a;
        this.clientPublic = Srp6a.clientPublic(a);
    }

    /** A client with a fresh random private value {@code a} (32 bytes from {@link SecureRandom}). */
    public SrpClient(String identity, char[] password) {
        this(identity, password, randomPrivateValue());
    }

    /** A client with a given private value, for the published test vectors only. */
    public static SrpClient withPrivateValue(String identity, char[] password, byte[] a) {
        return new SrpClient(identity, password, Srp6a.unsigned(a));
    }

    static BigInteger randomPrivateValue() {
        byte[] bytes = new byte[Srp6a.RANDOM_BYTES];
        BigInteger value;
        do {
            RANDOM.nextBytes(bytes);
            value = Srp6a.unsigned(bytes);
        } while (value.signum() == 0);
        return value;
    }

    public String identity() {
        return identity;
    }

    /** {@code A} in its wire form, {@code hex(PAD(A))}. */
    public String clientPublicHex() {
        return Srp6a.hex(clientPublic);
    }

    /**
     * Computes the session key from the server's salt and {@code B} and returns {@code M1} in hex.
     * Forgets the password.
     *
     * @throws ActivationProtocolException if {@code B} is 0 mod N or malformed, or {@code u} is 0
     */
    public String respond(String saltHex, String serverPublicHex) {
        if (sessionKey != null) {
            throw new IllegalStateException("This exchange was already answered");
        }
        byte[] parsedSalt;
        try {
            parsedSalt = HexFormat.of().parseHex(saltHex);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ActivationProtocolException("The salt is hexadecimal");
        }
        if (parsedSalt.length < 16 || parsedSalt.length > 64) {
            throw new ActivationProtocolException("The salt has 16 to 64 bytes");
        }
        BigInteger b = Srp6a.publicValue(serverPublicHex);
        if (Srp6a.u(clientPublic, b).signum() == 0) {
            throw new ActivationProtocolException("u is 0");
        }
        BigInteger x = Srp6a.x(identity, password, parsedSalt);
        Arrays.fill(password, '\0');
        this.salt = parsedSalt;
        this.serverPublic = b;
        this.sessionKey = Srp6a.sessionKey(Srp6a.clientSecret(x, a, clientPublic, b));
        this.clientProof = Srp6a.clientProof(identity, parsedSalt, clientPublic, b, sessionKey);
        return HexFormat.of().formatHex(clientProof);
    }

    /** Whether the server's {@code M2} (hex) proves it knows the verifier; compared in constant time. */
    public boolean confirmsServer(String serverProofHex) {
        if (sessionKey == null) {
            throw new IllegalStateException("Answer the server first");
        }
        byte[] received;
        try {
            received = HexFormat.of().parseHex(serverProofHex);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        serverConfirmed = MessageDigest.isEqual(received, Srp6a.serverProof(clientPublic, clientProof, sessionKey));
        return serverConfirmed;
    }

    /**
     * Whether the finish answer's {@code MAC} (version 2, hex) covers exactly these members under
     * the finish key; only after {@link #confirmsServer} answered true. Compared in constant time.
     */
    public boolean verifiesFinishAnswer(String serviceId, String userId, String serviceName, TokenParameters parameters,
                                        String serverTime, String macHex) {
        byte[] key = derivedKey("finish");
        try {
            return AnswerAuthentication.verifies(key,
                    AnswerAuthentication.finishMessage(serviceId, userId, serviceName, parameters, serverTime), macHex);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The status key (version 2) the token keeps to ask the authority for the time and its state. */
    public byte[] statusKey() {
        return derivedKey("status");
    }

    private byte[] derivedKey(String purpose) {
        if (!serverConfirmed) {
            throw new IllegalStateException("The server has not proved itself");
        }
        return AnswerAuthentication.key(sessionKey, identity, salt, clientPublic, serverPublic, purpose);
    }

    /** The TOTP seed for these parameters; only after {@link #confirmsServer} answered true. */
    public byte[] deriveSeed(TokenParameters parameters) {
        if (!serverConfirmed) {
            throw new IllegalStateException("The server has not proved itself");
        }
        return SeedDerivation.seed(sessionKey, identity, salt, clientPublic, serverPublic, parameters);
    }

    @Override
    public String toString() {
        return "SrpClient[" + identity + "]";
    }
}
