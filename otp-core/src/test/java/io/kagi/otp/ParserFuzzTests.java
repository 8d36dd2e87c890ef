package io.kagi.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz tests (Jazzer) of every parser of outside input in the OTP core: Base32, otpauth URIs,
 * OCRA suites and OCRA responses. Each target states the parser's contract: it either answers a
 * value that survives a round trip or refuses with {@link OtpFormatException}; any other
 * exception, a hang or an out-of-memory is a finding.
 *
 * <p>In the normal build the targets run in regression mode (the inputs under
 * {@code src/test/resources/io/kagi/otp/ParserFuzzTestsInputs/<target>/} plus Jazzer's own empty
 * input). A fuzzing run: {@code JAZZER_FUZZ=1 ./mvnw -pl otp-core test -Dtest='ParserFuzzTests#base32'}
 * (one target per run; docs/security.md).
 */
class ParserFuzzTests {

    @FuzzTest(maxDuration = "10s")
    void base32(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        byte[] decoded;
        try {
            decoded = Base32.decode(text);
        } catch (OtpFormatException refused) {
            return;
        }
        assertThat(Base32.decode(Base32.encodeWithoutPadding(decoded))).isEqualTo(decoded);
        // Decoding drops at most the padding and the case: encoding the bytes gives the same letters back.
        String letters = text.replace("=", "").toUpperCase(java.util.Locale.ROOT);
        assertThat(Base32.encodeWithoutPadding(decoded)).isEqualTo(letters);
    }

    @FuzzTest(maxDuration = "10s")
    void base32RoundTrip(byte[] bytes) {
        assertThat(Base32.decode(Base32.encodeWithoutPadding(bytes))).isEqualTo(bytes);
    }

    @FuzzTest(maxDuration = "10s")
    void otpauthUri(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        OtpAuthUri uri;
        try {
            uri = OtpAuthUri.parse(text);
        } catch (OtpFormatException refused) {
            return;
        }
        OtpAuthUri again = OtpAuthUri.parse(uri.toUriString());
        assertThat(again).isEqualTo(uri);
        String secretText = Base32.encodeWithoutPadding(uri.secret());
        if (!uri.account().contains(secretText) && !uri.issuer().contains(secretText)) {
            assertThat(uri.toString()).doesNotContain(secretText);
        }
        // A parsed token is usable: it makes a code of its length.
        if (uri.type() == OtpAuthUri.Type.TOTP) {
            assertThat(uri.totp().generate(uri.secret(), Instant.EPOCH)).hasSize(uri.digits());
        } else {
            assertThat(uri.hotp().generate(uri.secret(), uri.counter())).hasSize(uri.digits());
        }
    }

    @FuzzTest(maxDuration = "10s")
    void ocraSuite(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        OcraSuite suite;
        try {
            suite = OcraSuite.parse(text);
        } catch (OtpFormatException refused) {
            return;
        }
        // Only the canonical spelling is accepted (it is part of what a response is computed over).
        assertThat(suite.toString()).isEqualTo(text);
        assertThat(OcraSuite.parse(suite.toString())).isEqualTo(suite);
    }

    @FuzzTest(maxDuration = "10s")
    void ocraResponse(FuzzedDataProvider data) {
        String suiteText = data.pickValue(new String[] {
                "OCRA-1:HOTP-SHA1-6:QN08", "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", "OCRA-1:HOTP-SHA512-8:QN08-T1M",
                "OCRA-1:HOTP-SHA256-8:QA08", "OCRA-1:HOTP-SHA512-8:C-QN08", "OCRA-1:HOTP-SHA1-6:QH40-S064"});
        Ocra ocra = new Ocra(OcraSuite.parse(suiteText));
        byte[] key = data.consumeBytes(64);
        String question = data.consumeString(64);
        String response = data.consumeRemainingAsString();
        OcraInput input;
        try {
            input = OcraInput.question(question).withCounter(1).withPasswordHash(new byte[20])
                    .withSessionInformation(new byte[64]).withTime(Instant.EPOCH);
            String expected = ocra.response(Arrays.copyOf(key, Math.max(key.length, 20)), input);
            // Verifying someone else's response never throws, and is right only for the right response.
            assertThat(ocra.verify(Arrays.copyOf(key, Math.max(key.length, 20)), input, response))
                    .isEqualTo(expected.equals(response));
        } catch (IllegalArgumentException refused) {
            // A malformed question or input is refused with a reason, never another exception.
        }
    }
}
