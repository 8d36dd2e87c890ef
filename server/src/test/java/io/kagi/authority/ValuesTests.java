package io.kagi.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTests {

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "ユーザ", "x/y"})
    void refusesMalformedAccountReferences(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> new AccountRef(value));
    }

    @Test
    void acceptsAccountReferencesOfTheRelyingParties() {
        assertThat(new AccountRef("user:taro01").value()).isEqualTo("user:taro01");
        assertThat(new AccountRef("a".repeat(64))).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> new AccountRef("a".repeat(65)));
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

    @Test
    void refusesPoliciesOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServicePolicy.defaults().withOtp("MD5", 6, Duration.ofSeconds(60)));
        assertThatIllegalArgumentException().isThrownBy(() -> ServicePolicy.defaults().withOtp("SHA1", 9, Duration.ofSeconds(60)));
        assertThatIllegalArgumentException().isThrownBy(() -> ServicePolicy.defaults().withOtp("SHA1", 6, Duration.ofMillis(1500)));
        assertThatIllegalArgumentException().isThrownBy(() -> ServicePolicy.defaults().withLockThreshold(0));
        assertThatIllegalArgumentException().isThrownBy(() -> ServicePolicy.defaults().withRevokeCoolingOff(Duration.ofSeconds(30)));
    }

    @Test
    void onlyAnActiveTokenIsUsable() {
        for (TokenState state : TokenState.values()) {
            TokenStatus status = new TokenStatus(new ServiceId("12345678"), new UserId("012345"), state, "a@example.jp",
                    null, null, null, null, null, 0);
            assertThat(status.usable()).isEqualTo(state == TokenState.ACTIVE);
        }
    }
}
