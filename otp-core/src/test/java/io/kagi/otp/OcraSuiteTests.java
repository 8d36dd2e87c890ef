package io.kagi.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OcraSuiteTests {

    @Test
    void readsEveryPartOfASuite() {
        OcraSuite suite = OcraSuite.parse("OCRA-1:HOTP-SHA256-8:C-QH40-PSHA512-S128-T2H");

        assertThat(suite).isEqualTo(new OcraSuite(HmacAlgorithm.SHA256, 8, true,
                OcraSuite.QuestionFormat.HEXADECIMAL, 40, Optional.of(HmacAlgorithm.SHA512),
                OptionalInt.of(128), Optional.of(Duration.ofHours(2))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "OCRA-1:HOTP-SHA1-6:QN08",
            "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1",
            "OCRA-1:HOTP-SHA256-8:QN08-PSHA1",
            "OCRA-1:HOTP-SHA512-8:C-QN08",
            "OCRA-1:HOTP-SHA512-8:QN08-T1M",
            "OCRA-1:HOTP-SHA256-8:QA08",
            "OCRA-1:HOTP-SHA512-8:QA08",
            "OCRA-1:HOTP-SHA512-8:QA08-PSHA1",
            "OCRA-1:HOTP-SHA512-8:QA10-T1M",
            "OCRA-1:HOTP-SHA1-4:QH64-S512-T59S",
            "OCRA-1:HOTP-SHA1-10:C-QA04-S001-T48H",
    })
    void writesBackTheSuiteItRead(String text) {
        assertThat(OcraSuite.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # suite                                 | reason
            OCRA-1:HOTP-SHA1-6                      | must have three parts, Algorithm:CryptoFunction:DataInput
            OCRA-2:HOTP-SHA1-6:QN08                 | algorithm 'OCRA-2' is not OCRA-1 at position 0
            ocra-1:HOTP-SHA1-6:QN08                 | algorithm 'ocra-1' is not OCRA-1
            OCRA-1:HOTP-MD5-6:QN08                  | crypto function 'HOTP-MD5-6' is not HOTP-SHA1-t
            OCRA-1:TOTP-SHA1-6:QN08                 | crypto function 'TOTP-SHA1-6' is not HOTP-SHA1-t
            OCRA-1:HOTP-SHA1-0:QN08                 | truncation 0 (the full HMAC as the response) is not supported
            OCRA-1:HOTP-SHA1-3:QN08                 | response length must be from 4 to 10 digits, not 3
            OCRA-1:HOTP-SHA1-11:QN08                | response length must be from 4 to 10 digits, not 11
            OCRA-1:HOTP-SHA1-6:C                    | needs a question QFxx
            OCRA-1:HOTP-SHA1-6:QX08                 | needs a question QFxx
            OCRA-1:HOTP-SHA1-6:QN8                  | needs a question QFxx
            OCRA-1:HOTP-SHA1-6:QN03                 | question length must be from 04 to 64, not 3
            OCRA-1:HOTP-SHA1-6:QN65                 | question length must be from 04 to 64, not 65
            OCRA-1:HOTP-SHA1-6:QN08-C               | 'C' is not one of PSHA1
            OCRA-1:HOTP-SHA1-6:QN08-PMD5            | 'PMD5' is not one of PSHA1
            OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1       | 'PSHA1' is not one of PSHA1, PSHA256, PSHA512, Snnn, T[1-59]S, T[1-59]M, T[1-48]H, in that order
            OCRA-1:HOTP-SHA1-6:QN08-S64             | 'S64' is not one of
            OCRA-1:HOTP-SHA1-6:QN08-S513            | session information length must be from 001 to 512 bytes, not 513
            OCRA-1:HOTP-SHA1-6:QN08-T60S            | time step T60S is out of range
            OCRA-1:HOTP-SHA1-6:QN08-T49H            | time step T49H is out of range
            OCRA-1:HOTP-SHA1-6:QN08-T01M            | 'T01M' is not one of
            OCRA-1:HOTP-SHA1-6:QN08-T1D             | 'T1D' is not one of
            OCRA-1:HOTP-SHA1-6:QN08-                | '' is not one of
            """)
    void refusesMalformedSuitesWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> OcraSuite.parse(text))
                .isInstanceOf(OtpFormatException.class)
                .hasMessageContaining(reason);
    }
}
