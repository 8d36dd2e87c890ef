package io.kagi.activation;

import java.math.BigInteger;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The TOTP seed both sides derive after a successful exchange (HKDF-SHA256, RFC 5869):
 * <pre>
 *   salt = H(H(I) | s | PAD(A) | PAD(B))
 *   info = ASCII("kagi-activation-1|" + I + "|" + canonical parameters)
 *   seed = HKDF-SHA256(IKM = K, salt, info, L = seed length of the algorithm)
 * </pre>
 */
public final class SeedDerivation {

    private SeedDerivation() {
    }

    /** The HKDF salt, binding the transcript: {@code H(H(I) | s | PAD(A) | PAD(B))}. */
    public static byte[] transcriptHash(String identity, byte[] salt, BigInteger clientPublic, BigInteger serverPublic) {
        return Srp6a.hash(Srp6a.hash(Srp6a.ascii(identity)), salt, Srp6a.pad(clientPublic), Srp6a.pad(serverPublic));
    }

    /** The HKDF info: {@code "kagi-activation-1|<I>|<algorithm>:<digits>:<period>"} in ASCII. */
    public static byte[] info(String identity, TokenParameters parameters) {
        return Srp6a.ascii(Srp6a.PROTOCOL + "|" + identity + "|" + parameters.canonical());
    }

    /** The seed, {@link TokenParameters#seedBytes()} long. */
    public static byte[] seed(byte[] sessionKey, String identity, byte[] salt, BigInteger clientPublic,
                              BigInteger serverPublic, TokenParameters parameters) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sessionKey, transcriptHash(identity, salt, clientPublic, serverPublic),
                info(identity, parameters)));
        byte[] seed = new byte[parameters.seedBytes()];
        hkdf.generateBytes(seed, 0, seed.length);
        return seed;
    }
}
