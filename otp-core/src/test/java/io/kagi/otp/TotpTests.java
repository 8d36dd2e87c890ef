package io.kagi.otp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTests {

    /** RFC 6238 Appendix B: each hash has its own seed, as long as its output (errata 2866). */
    static byte[] rfc6238Seed(HmacAlgorithm algorithm) {
        String seed = switch (algorithm) {
            case SHA1 -> "12345678901234567890";
            case SHA256 -> "12345678901234567890123456789012";
            case SHA512 -> "1234567890123456789012345678901234567890123456789012345678901234";
        };
        return seed.getBytes(US_ASCII);
    }

    private static final byte[] SECRET = rfc6238Seed(HmacAlgorithm.SHA256);
    private static final Instant NOW = Instant.parse("2026-11-24T09:30:15Z");

    private final Totp totp = new Totp(HmacAlgorithm.SHA256, 6, Duration.ofSeconds(60));

    /** RFC 6238 Appendix B: 8 digits, 30-second step, T0 = 0. */
    @ParameterizedTest(name = "{2} at {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # Unix time | T (hex)          | algorithm | TOTP
                       59 | 0000000000000001 | SHA1      | 94287082
                       59 | 0000000000000001 | SHA256    | 46119246
                       59 | 0000000000000001 | SHA512    | 90693936
               1111111109 | 00000000023523EC | SHA1      | 07081804
               1111111109 | 00000000023523EC | SHA256    | 68084774
               1111111109 | 00000000023523EC | SHA512    | 25091201
               1111111111 | 00000000023523ED | SHA1      | 14050471
               1111111111 | 00000000023523ED | SHA256    | 67062674
               1111111111 | 00000000023523ED | SHA512    | 99943326
               1234567890 | 000000000273EF07 | SHA1      | 89005924
               1234567890 | 000000000273EF07 | SHA256    | 91819424
               1234567890 | 000000000273EF07 | SHA512    | 93441116
               2000000000 | 0000000003F940AA | SHA1      | 69279037
               2000000000 | 0000000003F940AA | SHA256    | 90698825
               2000000000 | 0000000003F940AA | SHA512    | 38618901
              20000000000 | 0000000027BC86AA | SHA1      | 65353130
              20000000000 | 0000000027BC86AA | SHA256    | 77737706
              20000000000 | 0000000027BC86AA | SHA512    | 47863826
            """)
    void generatesRfc6238AppendixBCodes(long unixTime, String stepHex, HmacAlgorithm algorithm, String expected) {
        Totp rfcTotp = new Totp(algorithm, 8, Duration.ofSeconds(30));
        Instant time = Instant.ofEpochSecond(unixTime);

        assertThat(rfcTotp.stepAt(time)).isEqualTo(Long.parseLong(stepHex, 16));
        assertThat(rfcTotp.generate(rfc6238Seed(algorithm), time)).isEqualTo(expected);
        assertThat(rfcTotp.keyed(rfc6238Seed(algorithm)).generate(time)).isEqualTo(expected);
        assertThat(rfcTotp.verify(rfc6238Seed(algorithm), expected, time, 0)).hasValue(Long.parseLong(stepHex, 16));
    }

    @Test
    void keepsLeadingZeros() {
        Totp sixDigits = new Totp(HmacAlgorithm.SHA1, 6, Duration.ofSeconds(30));
        Instant time = Instant.ofEpochSecond(1111111111L);

        assertThat(sixDigits.generate(rfc6238Seed(HmacAlgorithm.SHA1), time)).isEqualTo("050471");
        assertThat(sixDigits.verify(rfc6238Seed(HmacAlgorithm.SHA1), "050471", time, 0)).isPresent();
        assertThat(sixDigits.verify(rfc6238Seed(HmacAlgorithm.SHA1), "50471", time, 0)).isEmpty();
    }

    @Test
    void countsStepsFromT0() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Totp fromT0 = new Totp(HmacAlgorithm.SHA1, 6, Duration.ofSeconds(60), t0);

        assertThat(fromT0.stepAt(t0)).isZero();
        assertThat(fromT0.stepAt(t0.plusSeconds(59))).isZero();
        assertThat(fromT0.stepAt(t0.plusSeconds(60))).isEqualTo(1);
        assertThat(fromT0.startOfStep(2)).isEqualTo(t0.plusSeconds(120));
        assertThat(fromT0.generate(SECRET, t0.plusSeconds(61))).isEqualTo(fromT0.generateAtStep(SECRET, 1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> fromT0.stepAt(t0.minusSeconds(1)))
                .withMessageContaining("before T0");
    }

    @Test
    void acceptsCurrentCodeAndReturnsItsStep() {
        long current = totp.stepAt(NOW);

        assertThat(totp.verify(SECRET, totp.generate(SECRET, NOW), NOW, 1)).hasValue(current);
    }

    @Test
    void acceptsCodeOneStepLate() {
        long current = totp.stepAt(NOW);
        String previous = totp.generateAtStep(SECRET, current - 1);

        assertThat(totp.verify(SECRET, previous, NOW, 1)).hasValue(current - 1);
    }

    @Test
    void acceptsCodeOneStepEarly() {
        long current = totp.stepAt(NOW);
        String next = totp.generateAtStep(SECRET, current + 1);

        assertThat(totp.verify(SECRET, next, NOW, 1)).hasValue(current + 1);
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {0, 1, 2, 5})
    void acceptsEveryStepWithinWindowAndRefusesTheNextOut(int window) {
        long current = totp.stepAt(NOW);
        for (long step = current - window; step <= current + window; step++) {
            assertThat(totp.verify(SECRET, totp.generateAtStep(SECRET, step), NOW, window)).hasValue(step);
        }
        assertThat(totp.verify(SECRET, totp.generateAtStep(SECRET, current - window - 1), NOW, window)).isEmpty();
        assertThat(totp.verify(SECRET, totp.generateAtStep(SECRET, current + window + 1), NOW, window)).isEmpty();
    }

    @Test
    void refusesCodeOutsideWindow() {
        long current = totp.stepAt(NOW);

        assertThat(totp.verify(SECRET, totp.generateAtStep(SECRET, current - 2), NOW, 1)).isEmpty();
        assertThat(totp.verify(SECRET, totp.generateAtStep(SECRET, current + 2), NOW, 1)).isEmpty();
    }

    @Test
    void refusesCodeOfAnotherSecret() {
        byte[] other = rfc6238Seed(HmacAlgorithm.SHA512);

        assertThat(totp.verify(SECRET, totp.generate(other, NOW), NOW, 1)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "12345", "1234567", "12345a", " 12345", "１２３４５６"})
    void refusesCodesThatAreNotSixDigits(String code) {
        assertThat(totp.verify(SECRET, code, NOW, 1)).isEmpty();
    }

    @Test
    void refusesMissingCode() {
        assertThat(totp.verify(SECRET, null, NOW, 1)).isEmpty();
    }

    @Test
    void neverMatchesStepsBeforeT0() {
        Totp fromEpoch = new Totp(HmacAlgorithm.SHA1, 6, Duration.ofSeconds(30));
        Instant firstStep = Instant.ofEpochSecond(5);
        String codeOfStepMinusOne = new Hotp(HmacAlgorithm.SHA1, 6).generate(SECRET, -1);

        assertThat(fromEpoch.verify(SECRET, codeOfStepMinusOne, firstStep, 1)).isEmpty();
        assertThat(fromEpoch.verify(SECRET, fromEpoch.generateAtStep(SECRET, 0), firstStep, 1)).hasValue(0);
        assertThat(fromEpoch.verify(SECRET, fromEpoch.generateAtStep(SECRET, 1), firstStep, 1)).hasValue(1);
    }

    @Test
    void refusesWindowsOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> totp.verify(SECRET, "123456", NOW, -1));
        assertThatIllegalArgumentException().isThrownBy(() -> totp.verify(SECRET, "123456", NOW, 11));
    }

    @Test
    void refusesStepsThatAreNotWholePositiveSeconds() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Totp(HmacAlgorithm.SHA1, 6, Duration.ZERO));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Totp(HmacAlgorithm.SHA1, 6, Duration.ofMillis(1500)));
    }

    @Test
    void keyedGeneratorGivesTheSameCodesAsThePlainOne() {
        Totp.Keyed keyed = totp.keyed(SECRET);
        long current = totp.stepAt(NOW);

        for (long step = current - 3; step <= current + 3; step++) {
            assertThat(keyed.generateAtStep(step)).isEqualTo(totp.generateAtStep(SECRET, step));
        }
        assertThat(keyed.verify(totp.generateAtStep(SECRET, current - 1), NOW, 1)).hasValue(current - 1);
        assertThat(keyed.verify("000000x", NOW, 1)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void keyedGeneratorRefusesUseFromAnotherThread() {
        Totp.Keyed keyed = totp.keyed(SECRET);

        CompletableFuture<String> elsewhere = CompletableFuture.supplyAsync(() -> keyed.generate(NOW));

        assertThatIllegalStateException()
                .isThrownBy(() -> {
                    try {
                        elsewhere.join();
                    } catch (java.util.concurrent.CompletionException e) {
                        throw e.getCause();
                    }
                })
                .withMessageContaining("confined");
    }

    @Test
    void describesItselfWithoutSecrets() {
        assertThat(totp.keyed(SECRET).toString())
                .isEqualTo("Totp.Keyed[Totp[SHA256, 6 digits, step PT1M, T0 1970-01-01T00:00:00Z]]");
    }
}
