package io.kagi.otp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Tests {

    /** RFC 4648 §10. */
    @ParameterizedTest(name = "\"{0}\" <-> \"{1}\"")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            # bytes  | Base32
            ''       | ''
            f        | MY======
            fo       | MZXQ====
            foo      | MZXW6===
            foob     | MZXW6YQ=
            fooba    | MZXW6YTB
            foobar   | MZXW6YTBOI======
            """)
    void decodesRfc4648VectorsAndEncodesThemWithoutPadding(String bytes, String base32) {
        assertThat(Base32.decode(base32)).isEqualTo(bytes.getBytes(US_ASCII));
        assertThat(Base32.encodeWithoutPadding(bytes.getBytes(US_ASCII))).isEqualTo(base32.replace("=", ""));
    }

    @Test
    void decodesLowercaseAndUnpaddedText() {
        assertThat(Base32.decode("mzxw6ytboi")).isEqualTo("foobar".getBytes(US_ASCII));
        assertThat(Base32.decode("MzXw6")).isEqualTo("foo".getBytes(US_ASCII));
    }

    @Test
    void roundTripsRandomSecrets() {
        Random random = new Random(42);
        for (int length = 0; length < 70; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertThat(Base32.decode(Base32.encodeWithoutPadding(bytes))).isEqualTo(bytes);
        }
    }

    @ParameterizedTest(name = "\"{0}\": {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # text                | position | reason
            MZXW1YTB              |        4 | character '1' is not Base32 (A-Z, 2-7) at position 4
            'MZXW 6YTB'           |        4 | character ' ' is not Base32 (A-Z, 2-7) at position 4
            MZ=W6YTB              |        2 | Base32 padding '=' before the end at position 2
            MZXW6Y                |        6 | a length no bytes encode to at position 6
            MZXQ==                |        6 | multiple of 8 characters; it has 6 at position 6
            MZXW6YTB========      |        8 | a whole block of padding at position 8
            MZXR                  |        3 | non-zero bits after the last byte at position 3
            """)
    void refusesMalformedTextWithThePosition(String text, int position, String reason) {
        assertThatThrownBy(() -> Base32.decode(text))
                .isInstanceOf(OtpFormatException.class)
                .hasMessageContaining(reason)
                .extracting(e -> ((OtpFormatException) e).position()).isEqualTo(position);
    }
}
