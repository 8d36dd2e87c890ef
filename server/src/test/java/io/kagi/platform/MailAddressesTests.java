package io.kagi.platform;

import java.util.Optional;

import io.kagi.platform.MailAddresses.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MailAddressesTests {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            hanakodt@oozora.co.jp                 | NONE
            taro..yamada@docomo.ne.jp             | NONE
            hanako.@ezweb.ne.jp                   | NONE
            .taro@softbank.ne.jp                  | NONE
            a+b@x.jp                              | NONE
            @docomo.ne.jp                         | FORM
            ...@docomo.ne.jp                      | FORM
            taro@-docomo.ne.jp                    | FORM
            taro@docomo..ne.jp                    | FORM
            taro yamada@docomo.ne.jp              | NOT_HALF_WIDTH
            ｔａｒｏ@docomo.ne.jp                  | NOT_HALF_WIDTH
            a@b.c@d.jp                            | FORM
            taro@localhost                        | FORM
            abc                                   | LENGTH
            """)
    void oneRuleTakesOldCarrierAddressesAndRefusesWhatCannotBeDelivered(String address, Problem expected) {
        assertThat(MailAddresses.problem(address)).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            60, true
            64, true
            65, false
            """)
    void sixtyFourCharactersAtMostAsTheSeedSays(int length, boolean valid) {
        String address = "a".repeat(length - "@docomo.ne.jp".length()) + "@docomo.ne.jp";
        assertThat(MailAddresses.isValid(address)).isEqualTo(valid);
    }
}
