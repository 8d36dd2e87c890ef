package io.kagi.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HmacAlgorithmTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # name      | algorithm | JCA name   | secret bytes
            SHA1        | SHA1      | HmacSHA1   | 20
            sha1        | SHA1      | HmacSHA1   | 20
            SHA-1       | SHA1      | HmacSHA1   | 20
            HmacSHA1    | SHA1      | HmacSHA1   | 20
            SHA256      | SHA256    | HmacSHA256 | 32
            HmacSHA256  | SHA256    | HmacSHA256 | 32
            hmacsha256  | SHA256    | HmacSHA256 | 32
            SHA512      | SHA512    | HmacSHA512 | 64
            HMACSHA512  | SHA512    | HmacSHA512 | 64
            """)
    void findsAlgorithmsByTheirUsualNames(String name, HmacAlgorithm algorithm, String jcaName, int secretBytes) {
        assertThat(HmacAlgorithm.fromName(name)).isEqualTo(algorithm);
        assertThat(algorithm.jcaName()).isEqualTo(jcaName);
        assertThat(algorithm.recommendedSecretBytes()).isEqualTo(secretBytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "SHA384", "", "HmacSHA"})
    void refusesUnknownNames(String name) {
        assertThatThrownBy(() -> HmacAlgorithm.fromName(name))
                .isInstanceOf(OtpFormatException.class)
                .hasMessageContaining("unknown HMAC algorithm")
                .hasMessageContaining("expected SHA1, SHA256 or SHA512");
    }
}
