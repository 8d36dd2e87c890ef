package io.kagi.bench.otp;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TOTP generation and verification per second: Kagi's otp-core beside the limit (one
 * {@code Mac.doFinal} over the same 8-byte counter with the same key) and beside
 * com.eatthepath:java-otp doing the same work.
 *
 * <p>Every benchmark computes the code of the same step with the same key, the RFC 6238
 * Appendix B seed for the algorithm (20 bytes for SHA-1, 32 for SHA-256), 6 digits, 30-second
 * step. "Fresh key" benchmarks give the secret on every call and the library keys its MAC each
 * time (what a server verifying many users does); "keyed" ones key it once (what a token
 * showing its own code does).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TotpBenchmarks {

    private static final Instant TIME = Instant.parse("2026-11-24T09:30:15Z");

    @Param({"SHA1", "SHA256"})
    public String algorithm;

    private byte[] secret;
    private Totp totp;
    private Totp.Keyed keyed;
    private String currentCode;
    private Mac rawMac;
    private byte[] counterMessage;
    private SecretKeySpec key;
    private TimeBasedOneTimePasswordGenerator javaOtp;

    @Setup
    public void setUp() throws GeneralSecurityException {
        HmacAlgorithm hmac = HmacAlgorithm.fromName(algorithm);
        secret = "1234567890123456789012345678901234567890123456789012345678901234"
                .substring(0, hmac == HmacAlgorithm.SHA1 ? 20 : 32)
                .getBytes(StandardCharsets.US_ASCII);
        totp = new Totp(hmac, 6, Duration.ofSeconds(30));
        keyed = totp.keyed(secret);
        currentCode = totp.generate(secret, TIME);

        key = new SecretKeySpec(secret, hmac.jcaName());
        rawMac = Mac.getInstance(hmac.jcaName());
        rawMac.init(key);
        counterMessage = ByteBuffer.allocate(Long.BYTES).putLong(totp.stepAt(TIME)).array();

        javaOtp = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6, hmac.jcaName());
        if (!javaOtp.generateOneTimePasswordString(key, TIME).equals(currentCode)) {
            throw new IllegalStateException("java-otp and Kagi disagree on the code");
        }
    }

    /** The limit: one HMAC over the 8-byte counter with an already keyed MAC. */
    @Benchmark
    public byte[] rawMacDoFinal() {
        return rawMac.doFinal(counterMessage);
    }

    /** The limit when the key changes per call: key the MAC, then one HMAC. */
    @Benchmark
    public byte[] rawMacInitAndDoFinal() throws GeneralSecurityException {
        rawMac.init(new SecretKeySpec(secret, rawMac.getAlgorithm()));
        return rawMac.doFinal(counterMessage);
    }

    @Benchmark
    public String kagiGenerateKeyed() {
        return keyed.generate(TIME);
    }

    @Benchmark
    public String kagiGenerateFreshKey() {
        return totp.generate(secret, TIME);
    }

    @Benchmark
    public OptionalLong kagiVerifyWindow1FreshKey() {
        return totp.verify(secret, currentCode, TIME, 1);
    }

    @Benchmark
    public OptionalLong kagiVerifyWindow1Keyed() {
        return keyed.verify(currentCode, TIME, 1);
    }

    /** java-otp's string code, the same work as Kagi's generate; it keys a cloned MAC per call. */
    @Benchmark
    public String javaOtpGenerateString() throws GeneralSecurityException {
        return javaOtp.generateOneTimePasswordString(key, TIME);
    }

    /** java-otp's int code, which skips formatting the digits. */
    @Benchmark
    public int javaOtpGenerateInt() throws GeneralSecurityException {
        return javaOtp.generateOneTimePassword(key, TIME);
    }
}
