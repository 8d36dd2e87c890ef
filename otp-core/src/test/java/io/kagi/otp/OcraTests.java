package io.kagi.otp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6287 Appendix C, every suite and vector, and inputs that do not fit their suite. */
class OcraTests {

    private static final byte[] KEY_20 = "12345678901234567890".getBytes(US_ASCII);
    private static final byte[] KEY_32 = "12345678901234567890123456789012".getBytes(US_ASCII);
    private static final byte[] KEY_64 =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(US_ASCII);
    /** SHA-1 of the PIN "1234", as Appendix C gives it. */
    private static final byte[] PIN_1234_SHA1 = HexFormat.of().parseHex("7110eda4d09e062aa5e4a390b0a572ac0d2c0220");
    /** Appendix C's timestamp 0x132d0b6 minutes: 2008-03-25 12:06 UTC. */
    private static final Instant RFC_TIME = Instant.ofEpochSecond(0x132d0b6L * 60);

    private static byte[] key(int bytes) {
        return switch (bytes) {
            case 20 -> KEY_20;
            case 32 -> KEY_32;
            case 64 -> KEY_64;
            default -> throw new IllegalArgumentException();
        };
    }

    /** Appendix C.1, one-way challenge-response. */
    @ParameterizedTest(name = "{0} C={2} Q={3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # suite                             | key | C | Q        | response
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 00000000 | 237653
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 11111111 | 243178
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 22222222 | 653583
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 33333333 | 740991
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 44444444 | 608993
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 55555555 | 388898
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 66666666 | 816933
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 77777777 | 224598
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 88888888 | 750600
            OCRA-1:HOTP-SHA1-6:QN08             |  20 | - | 99999999 | 294470
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 0 | 12345678 | 65347737
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 1 | 12345678 | 86775851
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 2 | 12345678 | 78192410
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 3 | 12345678 | 71565254
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 4 | 12345678 | 10104329
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 5 | 12345678 | 65983500
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 6 | 12345678 | 70069104
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 7 | 12345678 | 91771096
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 8 | 12345678 | 75011558
            OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1   |  32 | 9 | 12345678 | 08522129
            OCRA-1:HOTP-SHA256-8:QN08-PSHA1     |  32 | - | 00000000 | 83238735
            OCRA-1:HOTP-SHA256-8:QN08-PSHA1     |  32 | - | 11111111 | 01501458
            OCRA-1:HOTP-SHA256-8:QN08-PSHA1     |  32 | - | 22222222 | 17957585
            OCRA-1:HOTP-SHA256-8:QN08-PSHA1     |  32 | - | 33333333 | 86776967
            OCRA-1:HOTP-SHA256-8:QN08-PSHA1     |  32 | - | 44444444 | 86807031
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 0 | 00000000 | 07016083
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 1 | 11111111 | 63947962
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 2 | 22222222 | 70123924
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 3 | 33333333 | 25341727
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 4 | 44444444 | 33203315
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 5 | 55555555 | 34205738
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 6 | 66666666 | 44343969
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 7 | 77777777 | 51946085
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 8 | 88888888 | 20403879
            OCRA-1:HOTP-SHA512-8:C-QN08         |  64 | 9 | 99999999 | 31409299
            OCRA-1:HOTP-SHA512-8:QN08-T1M       |  64 | - | 00000000 | 95209754
            OCRA-1:HOTP-SHA512-8:QN08-T1M       |  64 | - | 11111111 | 55907591
            OCRA-1:HOTP-SHA512-8:QN08-T1M       |  64 | - | 22222222 | 22048402
            OCRA-1:HOTP-SHA512-8:QN08-T1M       |  64 | - | 33333333 | 24218844
            OCRA-1:HOTP-SHA512-8:QN08-T1M       |  64 | - | 44444444 | 36209546
            """)
    void computesAppendixC1OneWayResponses(String suiteText, int keyBytes, Long counter, String question,
                                            String expected) {
        Ocra ocra = new Ocra(OcraSuite.parse(suiteText));

        OcraInput input = rfcInput(ocra.suite(), question, counter);

        assertThat(ocra.response(key(keyBytes), input)).isEqualTo(expected);
        assertThat(ocra.verify(key(keyBytes), input, expected)).isTrue();
    }

    /** Appendix C.2, mutual challenge-response: the server's and the client's responses. */
    @ParameterizedTest(name = "{0} {1} QC={3} QS={4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # suite                             | side   | key | client Q | server Q | response
            OCRA-1:HOTP-SHA256-8:QA08           | server |  32 | CLI22220 | SRV11110 | 28247970
            OCRA-1:HOTP-SHA256-8:QA08           | server |  32 | CLI22221 | SRV11111 | 01984843
            OCRA-1:HOTP-SHA256-8:QA08           | server |  32 | CLI22222 | SRV11112 | 65387857
            OCRA-1:HOTP-SHA256-8:QA08           | server |  32 | CLI22223 | SRV11113 | 03351211
            OCRA-1:HOTP-SHA256-8:QA08           | server |  32 | CLI22224 | SRV11114 | 83412541
            OCRA-1:HOTP-SHA256-8:QA08           | client |  32 | CLI22220 | SRV11110 | 15510767
            OCRA-1:HOTP-SHA256-8:QA08           | client |  32 | CLI22221 | SRV11111 | 90175646
            OCRA-1:HOTP-SHA256-8:QA08           | client |  32 | CLI22222 | SRV11112 | 33777207
            OCRA-1:HOTP-SHA256-8:QA08           | client |  32 | CLI22223 | SRV11113 | 95285278
            OCRA-1:HOTP-SHA256-8:QA08           | client |  32 | CLI22224 | SRV11114 | 28934924
            OCRA-1:HOTP-SHA512-8:QA08           | server |  64 | CLI22220 | SRV11110 | 79496648
            OCRA-1:HOTP-SHA512-8:QA08           | server |  64 | CLI22221 | SRV11111 | 76831980
            OCRA-1:HOTP-SHA512-8:QA08           | server |  64 | CLI22222 | SRV11112 | 12250499
            OCRA-1:HOTP-SHA512-8:QA08           | server |  64 | CLI22223 | SRV11113 | 90856481
            OCRA-1:HOTP-SHA512-8:QA08           | server |  64 | CLI22224 | SRV11114 | 12761449
            OCRA-1:HOTP-SHA512-8:QA08-PSHA1     | client |  64 | CLI22220 | SRV11110 | 18806276
            OCRA-1:HOTP-SHA512-8:QA08-PSHA1     | client |  64 | CLI22221 | SRV11111 | 70020315
            OCRA-1:HOTP-SHA512-8:QA08-PSHA1     | client |  64 | CLI22222 | SRV11112 | 01600026
            OCRA-1:HOTP-SHA512-8:QA08-PSHA1     | client |  64 | CLI22223 | SRV11113 | 18951020
            OCRA-1:HOTP-SHA512-8:QA08-PSHA1     | client |  64 | CLI22224 | SRV11114 | 32528969
            """)
    void computesAppendixC2MutualResponses(String suiteText, String side, int keyBytes, String clientChallenge,
                                           String serverChallenge, String expected) {
        Ocra ocra = new Ocra(OcraSuite.parse(suiteText));
        OcraInput input = rfcInput(ocra.suite(), clientChallenge, null);

        String response = side.equals("server")
                ? ocra.serverResponse(key(keyBytes), input, serverChallenge)
                : ocra.clientResponse(key(keyBytes), input, serverChallenge);

        assertThat(response).isEqualTo(expected);
        assertThat(Ocra.responsesEqual(response, expected)).isTrue();
    }

    /** Appendix C.3, plain signature, with and without a timestamp. */
    @ParameterizedTest(name = "{0} Q={2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # suite                             | key | signature Q | signature
            OCRA-1:HOTP-SHA256-8:QA08           |  32 | SIG10000    | 53095496
            OCRA-1:HOTP-SHA256-8:QA08           |  32 | SIG11000    | 04110475
            OCRA-1:HOTP-SHA256-8:QA08           |  32 | SIG12000    | 31331128
            OCRA-1:HOTP-SHA256-8:QA08           |  32 | SIG13000    | 76028668
            OCRA-1:HOTP-SHA256-8:QA08           |  32 | SIG14000    | 46554205
            OCRA-1:HOTP-SHA512-8:QA10-T1M       |  64 | SIG1000000  | 77537423
            OCRA-1:HOTP-SHA512-8:QA10-T1M       |  64 | SIG1100000  | 31970405
            OCRA-1:HOTP-SHA512-8:QA10-T1M       |  64 | SIG1200000  | 10235557
            OCRA-1:HOTP-SHA512-8:QA10-T1M       |  64 | SIG1300000  | 95213541
            OCRA-1:HOTP-SHA512-8:QA10-T1M       |  64 | SIG1400000  | 65360607
            """)
    void computesAppendixC3Signatures(String suiteText, int keyBytes, String question, String expected) {
        Ocra ocra = new Ocra(OcraSuite.parse(suiteText));

        assertThat(ocra.response(key(keyBytes), rfcInput(ocra.suite(), question, null))).isEqualTo(expected);
    }

    private static OcraInput rfcInput(OcraSuite suite, String question, Long counter) {
        OcraInput input = OcraInput.question(question);
        if (counter != null) {
            input = input.withCounter(counter);
        }
        if (suite.passwordHash().isPresent()) {
            input = input.withPasswordHash(PIN_1234_SHA1);
        }
        if (suite.timeStep().isPresent()) {
            input = input.withTime(RFC_TIME.plusSeconds(30));
        }
        return input;
    }

    @Test
    void hashesThePasswordWithTheSuitesHash() {
        Ocra ocra = new Ocra(OcraSuite.parse("OCRA-1:HOTP-SHA256-8:QN08-PSHA1"));

        assertThat(ocra.hashPassword("1234")).isEqualTo(PIN_1234_SHA1);
    }

    @Test
    void refusesAResponseForAnotherQuestion() {
        Ocra ocra = new Ocra(OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN08"));

        assertThat(ocra.verify(KEY_20, OcraInput.question("11111111"), "237653")).isFalse();
        assertThat(ocra.verify(KEY_20, OcraInput.question("00000000"), "23765")).isFalse();
    }

    @Test
    void bindsASignatureToTheTime() {
        Ocra ocra = new Ocra(OcraSuite.parse("OCRA-1:HOTP-SHA512-8:QA10-T1M"));
        OcraInput signed = OcraInput.question("SIG1000000").withTime(RFC_TIME);

        assertThat(ocra.verify(KEY_64, signed.withTime(RFC_TIME.plusSeconds(59)), "77537423")).isTrue();
        assertThat(ocra.verify(KEY_64, signed.withTime(RFC_TIME.plusSeconds(60)), "77537423")).isFalse();
    }

    @Test
    void padsShortSessionInformationWithLeadingZeros() {
        Ocra ocra = new Ocra(OcraSuite.parse("OCRA-1:HOTP-SHA1-6:QN08-S064"));
        byte[] session = new byte[64];
        session[63] = 0x2a;

        assertThat(ocra.response(KEY_20, OcraInput.question("1234").withSessionInformation(new byte[] {0x2a})))
                .isEqualTo(ocra.response(KEY_20, OcraInput.question("1234").withSessionInformation(session)));
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # suite                           | input            | reason
            OCRA-1:HOTP-SHA1-6:QN08           | question 123a    | character is not a decimal digit (QN) at position 3
            OCRA-1:HOTP-SHA1-6:QA08           | question SIG-1   | character is not an ASCII letter or digit (QA) at position 3
            OCRA-1:HOTP-SHA1-6:QH08           | question 12G4    | character is not a hexadecimal digit (QH) at position 2
            OCRA-1:HOTP-SHA1-6:QN08           | question 123456789 | question has 9 characters; suite OCRA-1:HOTP-SHA1-6:QN08 allows at most 8
            OCRA-1:HOTP-SHA1-6:C-QN08         | no counter       | needs a counter (C)
            OCRA-1:HOTP-SHA1-6:QN08           | counter          | takes no counter (C), but the input has one
            OCRA-1:HOTP-SHA1-6:QN08-PSHA256   | no password      | needs a password hash (P)
            OCRA-1:HOTP-SHA1-6:QN08-PSHA256   | SHA-1 password   | password hash must be 32 bytes (SHA256), not 20
            OCRA-1:HOTP-SHA1-6:QN08-S064      | no session       | needs session information (S)
            OCRA-1:HOTP-SHA1-6:QN08-S064      | long session     | session information may be at most 64 bytes, not 65
            OCRA-1:HOTP-SHA1-6:QN08-T30S      | no time          | needs a time (T)
            OCRA-1:HOTP-SHA1-6:QN08           | time             | takes no time (T), but the input has one
            """)
    void refusesInputThatDoesNotFitTheSuite(String suiteText, String input, String reason) {
        Ocra ocra = new Ocra(OcraSuite.parse(suiteText));
        OcraInput base = OcraInput.question("1234");
        OcraInput malformed = switch (input) {
            case "counter" -> base.withCounter(1);
            case "SHA-1 password" -> base.withPasswordHash(PIN_1234_SHA1);
            case "long session" -> base.withSessionInformation(new byte[65]);
            case "time" -> base.withTime(RFC_TIME);
            default -> input.startsWith("question ") ? OcraInput.question(input.substring(9)) : base;
        };

        assertThatThrownBy(() -> ocra.response(KEY_20, malformed))
                .isInstanceOf(OtpFormatException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void keepsThePasswordHashAndQuestionOutOfToString() {
        OcraInput input = OcraInput.question("SIG12345678").withPasswordHash(PIN_1234_SHA1).withCounter(3);

        assertThat(input.toString())
                .isEqualTo("OcraInput[question=(11 characters), counter=3, passwordHash=(hidden)]")
                .doesNotContain("SIG1", "7110");
    }
}
