package io.kagi.bench.load;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSetTests {

    private final TokenSet tokens = new TokenSet(new byte[32], 3);
    private final Instant now = Instant.parse("2026-11-24T05:00:10Z");

    @Test
    void givesTheCurrentCodeThenTheNextThenNothingUntilTheStepMoves() {
        long step = TokenSet.TOTP.stepAt(now);

        String first = tokens.freshCode(1, now);
        String second = tokens.freshCode(1, now);

        assertThat(first).isEqualTo(TokenSet.TOTP.generateAtStep(tokens.seed(1), step));
        assertThat(second).isEqualTo(TokenSet.TOTP.generateAtStep(tokens.seed(1), step + 1));
        assertThat(tokens.freshCode(1, now)).isNull();
        assertThat(tokens.freshCode(1, now.plusSeconds(60))).isEqualTo(TokenSet.TOTP.generateAtStep(tokens.seed(1), step + 2));
    }

    @Test
    void everyCodeSentIsAcceptedByAVerifierWithAWindowOfOne() {
        String code = tokens.freshCode(2, now);

        assertThat(TokenSet.TOTP.verify(tokens.seed(2), code, now, 1)).isPresent();
        assertThat(tokens.used(2)).isTrue();
        assertThat(tokens.used(0)).isFalse();
    }

    @Test
    void forgettingTheStepsGivesTheCurrentCodeAgain() {
        long step = TokenSet.TOTP.stepAt(now);
        tokens.freshCode(0, now);
        tokens.freshCode(0, now);
        assertThat(tokens.freshCode(0, now)).isNull();

        tokens.forgetSteps();

        assertThat(tokens.used(0)).isFalse();
        assertThat(tokens.freshCode(0, now)).isEqualTo(TokenSet.TOTP.generateAtStep(tokens.seed(0), step));
    }

    @Test
    void tokensHaveDifferentSeeds() {
        assertThat(tokens.seed(0)).hasSize(32).isNotEqualTo(tokens.seed(1));
        assertThat(tokens.seed(0)).isEqualTo(new TokenSet(new byte[32], 1).seed(0));
    }
}
