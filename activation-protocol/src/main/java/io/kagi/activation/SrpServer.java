package io.kagi.activation;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The authority's side of one activation exchange (docs/activation-protocol.md §4). It holds the
 * verifier {@code v}, never the password. Stateless between messages apart from the private value
 * {@code b}, so an exchange begun on one node can be finished on another that rebuilds the server
 * from the stored salt, verifier and {@code b}. Immutable and thread-safe.
 */
public final class SrpServer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String identity;
    private final byte[] salt;
    private final BigInteger verifier;
    private final BigInteger b;
    private final BigInteger serverPublic;

    /**
     * @param identity {@code I}, see {@link Srp6a#identity}
     * @param salt     the token's salt {@code s}
     * @param verifier the token's verifier {@code v}, big-endian
     * @param b        the private value of this exchange, big-endian (see {@link #newPrivateValue()})
     */
    public SrpServer(String identity, byte[] salt, byte[] verifier, byte[] b) {
        this.identity = identity;
        this.salt = salt.clone();
        this.verifier = Srp6a.unsigned(verifier);
        this.b = Srp6a.unsigned(b);
        if (this.verifier.signum() == 0 || this.b.signum() == 0) {
            throw new IllegalArgumentException("The verifier and b must not be zero");
        }
        this.serverPublic = Srp6a.serverPublic(this.verifier, this.b);
    }

    /** A fresh random salt of 32 bytes, made once when a token is issued. */
    public static byte[] newSalt() {
        byte[] salt = new byte[Srp6a.RANDOM_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /** A fresh random private value {@code b} of 32 bytes for one exchange. */
    public static byte[] newPrivateValue() {
        byte[] value = new byte[Srp6a.RANDOM_BYTES];
        do {
            RANDOM.nextBytes(value);
        } while (Srp6a.unsigned(value).signum() == 0);
        return value;
    }

    /** The verifier {@code v = g^x mod N} the authority stores for a token: {@code PAD(v)}. */
    public static byte[] verifier(String identity, char[] password, byte[] salt) {
        return Srp6a.pad(Srp6a.verifier(identity, password, salt));
    }

    /** {@code B} in its wire form, {@code hex(PAD(B))}. */
    public String serverPublicHex() {
        return Srp6a.hex(serverPublic);
    }

    /**
     * Checks the client's {@code M1} for its public value {@code A}; when it is right, returns the
     * confirmation holding {@code M2} and the session key.
     *
     * @param clientPublicHex {@code A} as sent by the client (512 hex digits)
     * @param clientProof     {@code M1} as sent by the client
     * @throws ActivationProtocolException if {@code A} is 0 mod N or malformed
     */
    public Optional<Confirmation> verify(String clientPublicHex, byte[] clientProof) {
        BigInteger a = Srp6a.publicValue(clientPublicHex);
        BigInteger u = Srp6a.u(a, serverPublic);
        if (u.signum() == 0) {
            return Optional.empty();
        }
        byte[] sessionKey = Srp6a.sessionKey(Srp6a.serverSecret(verifier, b, a, serverPublic));
        byte[] expected = Srp6a.clientProof(identity, salt, a, serverPublic, sessionKey);
        if (clientProof == null || !MessageDigest.isEqual(expected, clientProof)) {
            return Optional.empty();
        }
        return Optional.of(new Confirmation(Srp6a.serverProof(a, clientProof, sessionKey),
                sessionKey, identity, salt, a, serverPublic));
    }

    @Override
    public String toString() {
        return "SrpServer[" + identity + "]";
    }

    /** A successful exchange: the server's proof {@code M2} and what derives the seed. */
    public static final class Confirmation {

        private final byte[] serverProof;
        private final byte[] sessionKey;
        private final String identity;
        private final byte[] salt;
        private final BigInteger clientPublic;
        private final BigInteger serverPublic;

        private Confirmation(byte[] serverProof, byte[] sessionKey, String identity, byte[] salt,
                             BigInteger clientPublic, BigInteger serverPublic) {
            this.serverProof = serverProof;
            this.sessionKey = sessionKey;
            this.identity = identity;
            this.salt = salt;
            this.clientPublic = clientPublic;
            this.serverPublic = serverPublic;
        }

        /** {@code M2}, 32 bytes. */
        public byte[] serverProof() {
            return serverProof.clone();
        }

        /** The finish answer's {@code MAC} (version 2, hex) over these members. */
        public String finishMac(String serviceId, String userId, String serviceName, TokenParameters parameters,
                                String serverTime) {
            byte[] key = AnswerAuthentication.key(sessionKey, identity, salt, clientPublic, serverPublic, "finish");
            try {
                return AnswerAuthentication.mac(key,
                        AnswerAuthentication.finishMessage(serviceId, userId, serviceName, parameters, serverTime));
            } finally {
                java.util.Arrays.fill(key, (byte) 0);
            }
        }

        /** The status key (version 2) that authenticates the token's later status requests and their answers. */
        public byte[] statusKey() {
            return AnswerAuthentication.key(sessionKey, identity, salt, clientPublic, serverPublic, "status");
        }

        /** The TOTP seed for these parameters. */
        public byte[] deriveSeed(TokenParameters parameters) {
            return SeedDerivation.seed(sessionKey, identity, salt, clientPublic, serverPublic, parameters);
        }

        @Override
        public String toString() {
            return "Confirmation[" + identity + "]";
        }
    }
}
