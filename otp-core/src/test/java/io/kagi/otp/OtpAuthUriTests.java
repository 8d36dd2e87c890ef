package io.kagi.otp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtpAuthUriTests {

    private static final byte[] SECRET = "12345678901234567890".getBytes(US_ASCII);
    private static final String SECRET_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @Test
    void readsATotpUriWithEveryParameter() {
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/Kagi%20Bank:alice%40example.com?secret=" + SECRET_BASE32
                + "&issuer=Kagi%20Bank&algorithm=SHA256&digits=8&period=60");

        assertThat(uri).isEqualTo(new OtpAuthUri(OtpAuthUri.Type.TOTP, "Kagi Bank", "alice@example.com", SECRET,
                HmacAlgorithm.SHA256, 8, Duration.ofSeconds(60), 0));
        assertThat(uri.totp().toString()).isEqualTo("Totp[SHA256, 8 digits, step PT1M, T0 1970-01-01T00:00:00Z]");
    }

    @Test
    void appliesTheDefaultsForMissingParameters() {
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/alice?secret=" + SECRET_BASE32.toLowerCase());

        assertThat(uri.issuer()).isEmpty();
        assertThat(uri.algorithm()).isEqualTo(HmacAlgorithm.SHA1);
        assertThat(uri.digits()).isEqualTo(6);
        assertThat(uri.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(uri.secret()).isEqualTo(SECRET);
    }

    @Test
    void readsAnHotpUriWithItsCounter() {
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://hotp/Kagi:bob?secret=" + SECRET_BASE32 + "&counter=42&image=x");

        assertThat(uri.type()).isEqualTo(OtpAuthUri.Type.HOTP);
        assertThat(uri.issuer()).isEqualTo("Kagi");
        assertThat(uri.counter()).isEqualTo(42);
        assertThat(uri.hotp().generate(uri.secret(), 0)).isEqualTo("755224");
    }

    @Test
    void ignoresThePeriodOfAnHotpUriSoThatItReadsBackEqual() {
        // Found by ParserFuzzTests#otpauthUri: the period was kept, but toUriString() leaves it out for HOTP.
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://hotp/Kagi:bob?secret=" + SECRET_BASE32 + "&counter=7&period=8");

        assertThat(uri.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(OtpAuthUri.parse(uri.toUriString())).isEqualTo(uri);
    }

    @Test
    void dropsSpacesBeforeTheAccountNameWithOrWithoutAnIssuer() {
        // Found by ParserFuzzTests#otpauthUri: " bob" without an issuer came back as "bob" after a round trip.
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/%20bob?secret=" + SECRET_BASE32 + "&issuer=Kagi");

        assertThat(uri.account()).isEqualTo("bob");
        assertThat(OtpAuthUri.parse(uri.toUriString())).isEqualTo(uri);
    }

    @Test
    void writesAUriThatReadsBackEqual() {
        OtpAuthUri uri = OtpAuthUri.totp("鍵 Bank", "田中 太郎", SECRET,
                new Totp(HmacAlgorithm.SHA256, 6, Duration.ofSeconds(60)));

        String text = uri.toUriString();

        assertThat(text).isEqualTo("otpauth://totp/%E9%8D%B5%20Bank:%E7%94%B0%E4%B8%AD%20%E5%A4%AA%E9%83%8E?secret="
                + SECRET_BASE32 + "&issuer=%E9%8D%B5%20Bank&algorithm=SHA256&digits=6&period=60");
        assertThat(OtpAuthUri.parse(text)).isEqualTo(uri);
    }

    @Test
    void keepsTheSecretOutOfToString() {
        OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/Kagi:alice?secret=" + SECRET_BASE32);

        assertThat(uri.toString()).contains("secret=(hidden)").doesNotContain(SECRET_BASE32, "1234567890");
    }

    @Test
    void copiesTheSecretInAndOut() {
        byte[] secret = SECRET.clone();
        OtpAuthUri uri = new OtpAuthUri(OtpAuthUri.Type.TOTP, "", "alice", secret, HmacAlgorithm.SHA1, 6,
                Duration.ofSeconds(30), 0);
        secret[0] = 0;
        uri.secret()[1] = 0;

        assertThat(uri.secret()).isEqualTo(SECRET);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # URI                                                                   | reason
            https://example.com/totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ   | not an otpauth:// URI
            otpauth://totp                                                          | has no label
            otpauth://motp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ            | type 'motp' is neither totp nor hotp
            otpauth://totp/alice                                                    | has no parameters; secret is required
            otpauth://totp/alice?issuer=Kagi                                        | has no secret parameter
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1            | secret parameter: character '1' is not Base32 (A-Z, 2-7) at position 31
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQ                            | secret is 10 bytes; at least 16 are required
            otpauth://totp/Kagi:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Other | issuer parameter 'Other' differs from the label's issuer 'Kagi'
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=MD5 | unknown HMAC algorithm 'MD5'
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=10  | digits must be from 6 to 8, not 10
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=six | digits parameter 'six' is not a number
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&period=0   | period parameter must be at least 1, not 0
            otpauth://hotp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ            | hotp URI has no counter parameter
            otpauth://totp/alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=6&digits=8 | gives the digits parameter twice
            otpauth://totp/?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ                 | account name is missing
            otpauth://totp/Kagi:a:b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ         | may not contain ':'
            otpauth://totp/al%2?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ             | label has a '%' not followed by two hex digits at position 2
            otpauth://totp/al%FFice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ         | label is not percent-encoded UTF-8
            """)
    void refusesMalformedUrisWithTheReason(String uri, String reason) {
        assertThatThrownBy(() -> OtpAuthUri.parse(uri))
                .isInstanceOf(OtpFormatException.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("GEZDGNBVGY3TQOJQ");
    }
}
