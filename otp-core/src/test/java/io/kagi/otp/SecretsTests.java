package io.kagi.otp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SecretsTests {

    @ParameterizedTest
    @EnumSource(HmacAlgorithm.class)
    void generatesSecretsAsLongAsTheHashOutput(HmacAlgorithm algorithm) {
        assertThat(Secrets.generate(algorithm)).hasSize(algorithm.macBytes());
    }

    @ParameterizedTest
    @EnumSource(HmacAlgorithm.class)
    void generatesADifferentSecretEachTime(HmacAlgorithm algorithm) {
        assertThat(Secrets.generate(algorithm)).isNotEqualTo(Secrets.generate(algorithm));
    }
}
