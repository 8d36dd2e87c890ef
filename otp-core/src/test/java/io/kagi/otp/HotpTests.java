package io.kagi.otp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HotpTests {

    private static final byte[] RFC_4226_SECRET = "12345678901234567890".getBytes(US_ASCII);

    private final Hotp hotp = new Hotp(HmacAlgorithm.SHA1, 6);

    /** RFC 4226 Appendix D, Table 2. */
    @ParameterizedTest(name = "counter {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # counter | HOTP
                    0 | 755224
                    1 | 287082
                    2 | 359152
                    3 | 969429
                    4 | 338314
                    5 | 254676
                    6 | 287922
                    7 | 162583
                    8 | 399871
                    9 | 520489
            """)
    void generatesRfc4226AppendixDCodes(long counter, String expected) {
        assertThat(hotp.generate(RFC_4226_SECRET, counter)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "counter {0}")
    @ValueSource(longs = {0L, 1L << 32, 20_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L})
    void generatesTheSameCodeAsTheRfcReferenceForEverySixtyFourBitCounter(long counter) {
        for (HmacAlgorithm algorithm : HmacAlgorithm.values()) {
            for (int digits = 6; digits <= 8; digits++) {
                byte[] secret = Secrets.generate(algorithm);
                assertThat(new Hotp(algorithm, digits).generate(secret, counter))
                        .isEqualTo(ReferenceOtp.hotp(algorithm, secret, counter, digits));
            }
        }
    }

    @Test
    void matchesOnlyTheCodeOfItsCounter() {
        assertThat(hotp.matches(RFC_4226_SECRET, "287082", 1)).isTrue();
        assertThat(hotp.matches(RFC_4226_SECRET, "287082", 2)).isFalse();
        assertThat(hotp.matches(RFC_4226_SECRET, "28708", 1)).isFalse();
        assertThat(hotp.matches(RFC_4226_SECRET, "２８７０８２", 1)).isFalse();
    }

    @Test
    void refusesSecretsShorterThanSixteenBytes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> hotp.generate(new byte[15], 0))
                .withMessageContaining("at least 16 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 9, 10})
    void refusesDigitsOutsideSixToEight(int digits) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Hotp(HmacAlgorithm.SHA1, digits))
                .withMessageContaining("digits must be from 6 to 8");
    }

    @Test
    void leavesTheSecretUnchanged() {
        byte[] secret = RFC_4226_SECRET.clone();
        hotp.generate(secret, 3);
        assertThat(secret).isEqualTo(RFC_4226_SECRET);
    }
}
