package io.kagi.signin;

import java.util.Optional;

import io.kagi.signin.PasswordPolicy.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTests {

    @ParameterizedTest(name = "{0} for login ID {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            password1                  | taro01   | COMMON
            PASSWORD1                  | taro01   | COMMON
            p@ssw0rd                   | taro01   | COMMON
            abc12345                   | taro01   | COMMON
            qwertyuiop                 | taro01   | COMMON
            aaaaaaaa                   | taro01   | COMMON
            abcdefghij                 | taro01   | COMMON
            98765432                   | taro01   | COMMON
            short7c                    | taro01   | LENGTH
            taro01-ginza-2026          | taro01   | CONTAINS_LOGIN_ID
            my TARO01 pass             | taro01   | CONTAINS_LOGIN_ID
            ｔａｒｏ０１ｈａｎａ          | taro01   | CONTAINS_LOGIN_ID
            correct horse battery      | taro01   | NONE
            銀座の空は青い2026            | taro01   | NONE
            hanakodt01                 | taro01   | NONE
            Kagi-pass-2026             | taro01   | NONE
            """)
    void aChosenPasswordIsJudgedByLengthBlocklistRunsAndLoginId(String password, String loginId, Problem expected) {
        assertThat(PasswordPolicy.problem(password, loginId)).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "{0} characters: {1}")
    @CsvSource(nullValues = "NONE", textBlock = """
            7,  LENGTH
            8,  NONE
            64, NONE
            65, LENGTH
            """)
    void eightToSixtyFourCharactersOfAnyKindAreAllowed(int length, Problem expected) {
        String password = "鍵盤楽器z9".repeat(11).substring(0, length);
        assertThat(PasswordPolicy.problem(password, "taro01")).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            ''
            """)
    void anEmptyPasswordIsRequired(String password) {
        assertThat(PasswordPolicy.problem(password, "taro01")).contains(Problem.REQUIRED);
        assertThat(PasswordPolicy.problem(null, "taro01")).contains(Problem.REQUIRED);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            'line\nbreak password'
            'tab\tseparated pw'
            """)
    void controlCharactersAreRefused(String password) {
        assertThat(PasswordPolicy.problem(password.replace("\\n", "\n").replace("\\t", "\t"), "taro01"))
                .contains(Problem.CHARACTERS);
    }

    @org.junit.jupiter.api.Test
    void fullWidthTypingIsTheSamePasswordAsHalfWidth() {
        assertThat(PasswordPolicy.normalise("Ｋａｇｉ－ｐａｓｓ－２０２６")).isEqualTo("Kagi-pass-2026");
    }
}
