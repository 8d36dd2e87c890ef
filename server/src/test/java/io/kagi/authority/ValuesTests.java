package io.kagi.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The authority's values refuse what their rule does not allow, exactly at its boundaries. */
class ValuesTests {

    @ParameterizedTest(name = "\"{0}\" accepted: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', emptyValue = "", textBlock = """
            user:taro01 | true
            a           | true
            A.b_c-9:x   | true
            ''          | false
            a b         | false
            ユーザ      | false
            x/y         | false
            taro@bank   | false
            'taro '     | false
            """)
    void accountReferenceIsOneToSixtyFourCharactersOfItsAlphabet(String value, boolean accepted) {
        if (accepted) {
            assertThat(new AccountRef(value).value()).isEqualTo(value);
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> new AccountRef(value));
        }
    }

    @Test
    void accountReferenceIsAtMostSixtyFourCharacters() {
        assertThat(new AccountRef("a".repeat(64)).value()).hasSize(64);
        assertThatIllegalArgumentException().isThrownBy(() -> new AccountRef("a".repeat(65)));
        assertThatIllegalArgumentException().isThrownBy(() -> new AccountRef(null));
    }

    @ParameterizedTest(name = "サービスID \"{0}\" accepted: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            12345678  | true
            00000000  | true
            1234567   | false
            123456789 | false
            1234567a  | false
            １２３４５６７８ | false
            ''        | false
            """)
    void serviceIdIsExactlyEightDigits(String digits, boolean accepted) {
        if (accepted) {
            assertThat(new ServiceId(digits)).hasToString(digits);
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> new ServiceId(digits));
        }
    }

    @ParameterizedTest(name = "ユーザID \"{0}\" accepted: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            012345  | true
            000000  | true
            01234   | false
            0123456 | false
            01234x  | false
            ０１２３４５ | false
            ''      | false
            """)
    void userIdIsExactlySixDigitsWithLeadingZerosKept(String digits, boolean accepted) {
        if (accepted) {
            assertThat(new UserId(digits)).hasToString(digits);
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> new UserId(digits));
        }
    }

    @Test
    void defaultPolicyIsTheProducts() {
        ServicePolicy policy = ServicePolicy.defaults();

        assertThat(policy.algorithm()).isEqualTo("SHA256");
        assertThat(policy.digits()).isEqualTo(6);
        assertThat(policy.step()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.window()).isEqualTo(1);
        assertThat(policy.lockThreshold()).isEqualTo(5);
        assertThat(policy.activationValidity()).isEqualTo(Duration.ofHours(24));
        assertThat(policy.revokeCoolingOff()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.otpAtLogin()).isTrue();
    }

    /**
     * Each row changes one field of the default policy; durations in ISO-8601. The rows on either
     * side of each limit are there so that moving a limit by one fails.
     */
    @ParameterizedTest(name = "{0}={1} accepted: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            algorithm          | SHA1    | true
            algorithm          | SHA512  | true
            algorithm          | MD5     | false
            algorithm          | sha256  | false
            digits             | 5       | false
            digits             | 6       | true
            digits             | 8       | true
            digits             | 9       | false
            step               | PT0S    | false
            step               | PT1S    | true
            step               | PT600S  | true
            step               | PT601S  | false
            step               | PT1.5S  | false
            window             | -1      | false
            window             | 0       | true
            window             | 10      | true
            window             | 11      | false
            lockThreshold      | 0       | false
            lockThreshold      | 1       | true
            lockThreshold      | 100     | true
            lockThreshold      | 101     | false
            activationValidity | PT0S    | false
            activationValidity | PT1H    | true
            activationValidity | PT90M   | false
            activationValidity | PT168H  | true
            revokeCoolingOff   | PT-1M   | false
            revokeCoolingOff   | PT0S    | true
            revokeCoolingOff   | PT30S   | false
            revokeCoolingOff   | PT1M    | true
            """)
    void policyFieldsStayWithinTheirLimits(String field, String value, boolean accepted) {
        if (accepted) {
            assertThat(policyWith(field, value)).hasFieldOrPropertyWithValue(field, parsed(field, value));
        } else {
            assertThatIllegalArgumentException().isThrownBy(() -> policyWith(field, value));
        }
    }

    @Test
    void onlyAnActiveTokenIsUsable() {
        for (TokenState state : TokenState.values()) {
            TokenStatus status = new TokenStatus(new ServiceId("12345678"), new UserId("012345"), state, "a@example.jp",
                    null, null, null, null, null, 0, false);
            assertThat(status.usable()).as("%s usable", state).isEqualTo(state == TokenState.ACTIVE);
        }
    }

    private static Object parsed(String field, String value) {
        return switch (field) {
            case "algorithm" -> value;
            case "digits", "window", "lockThreshold" -> Integer.parseInt(value);
            default -> Duration.parse(value);
        };
    }

    private static ServicePolicy policyWith(String field, String value) {
        ServicePolicy d = ServicePolicy.defaults();
        return switch (field) {
            case "algorithm" -> new ServicePolicy(value, d.digits(), d.step(), d.window(), d.lockThreshold(),
                    d.activationValidity(), d.revokeCoolingOff(), d.otpAtLogin());
            case "digits" -> new ServicePolicy(d.algorithm(), Integer.parseInt(value), d.step(), d.window(), d.lockThreshold(),
                    d.activationValidity(), d.revokeCoolingOff(), d.otpAtLogin());
            case "step" -> new ServicePolicy(d.algorithm(), d.digits(), Duration.parse(value), d.window(), d.lockThreshold(),
                    d.activationValidity(), d.revokeCoolingOff(), d.otpAtLogin());
            case "window" -> new ServicePolicy(d.algorithm(), d.digits(), d.step(), Integer.parseInt(value), d.lockThreshold(),
                    d.activationValidity(), d.revokeCoolingOff(), d.otpAtLogin());
            case "lockThreshold" -> new ServicePolicy(d.algorithm(), d.digits(), d.step(), d.window(), Integer.parseInt(value),
                    d.activationValidity(), d.revokeCoolingOff(), d.otpAtLogin());
            case "activationValidity" -> new ServicePolicy(d.algorithm(), d.digits(), d.step(), d.window(), d.lockThreshold(),
                    Duration.parse(value), d.revokeCoolingOff(), d.otpAtLogin());
            case "revokeCoolingOff" -> new ServicePolicy(d.algorithm(), d.digits(), d.step(), d.window(), d.lockThreshold(),
                    d.activationValidity(), Duration.parse(value), d.otpAtLogin());
            default -> throw new IllegalArgumentException("No such policy field in the table: " + field);
        };
    }
}
