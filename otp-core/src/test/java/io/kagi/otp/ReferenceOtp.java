package io.kagi.otp;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A deliberately plain transcription of RFC 4226 §5.3, to check the fast code against. */
final class ReferenceOtp {

    private ReferenceOtp() {
    }

    static String hotp(HmacAlgorithm algorithm, byte[] secret, long counter, int digits) {
        try {
            Mac mac = Mac.getInstance(algorithm.jcaName());
            mac.init(new SecretKeySpec(secret, algorithm.jcaName()));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            BigInteger code = BigInteger.valueOf(binary).mod(BigInteger.TEN.pow(digits));
            return String.format("%0" + digits + "d", code);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
