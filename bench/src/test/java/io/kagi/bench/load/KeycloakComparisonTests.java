package io.kagi.bench.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class KeycloakComparisonTests {

    private static MiniHttp.Response page(int status, String html) {
        return new MiniHttp.Response(status, Map.of(), html.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLoginFormsActionBecomesAPathWithItsQueryUnescaped() {
        // As Keycloak 26's keycloak.v2 theme writes it (login.ftl): the action after other attributes, &amp; in the query.
        MiniHttp.Response login = page(200, """
                <form id="kc-form-login" class="pf-v5-c-form" onsubmit="login.disabled = true; return true;" \
                action="http://127.0.0.1:8080/realms/bench-equal/login-actions/authenticate?session_code=a1&amp;execution=e-2&amp;client_id=kagi-bench&amp;tab_id=t3" method="post" novalidate="novalidate">""");

        assertThat(KeycloakComparison.action(Pattern.LOGIN, login))
                .isEqualTo("/realms/bench-equal/login-actions/authenticate?session_code=a1&execution=e-2&client_id=kagi-bench&tab_id=t3");
    }

    @Test
    void aPageWithoutTheFormHasNoAction() {
        MiniHttp.Response otpPage = page(200, "<form id=\"kc-otp-login-form\" action=\"/realms/r/login-actions/authenticate?x=1\">");

        assertThat(KeycloakComparison.action(Pattern.LOGIN, otpPage)).isNull();
        assertThat(KeycloakComparison.action(Pattern.OTP, otpPage)).isEqualTo("/realms/r/login-actions/authenticate?x=1");
    }

    @Test
    void aFailedStepSaysWhichAndWhy() {
        MiniHttp.Response throttled = new MiniHttp.Response(302, Map.of("location", List.of("/bizweb/login?wait=1")), new byte[0]);

        assertThatThrownBy(() -> LoginLoad.failed("password", throttled))
                .hasMessage("password: 302 location=/bizweb/login?wait=1");
    }

    @Test
    void keycloaksTotpOfAnAsciiSecretIsRfc6238WithTheSecretsBytesAsKey() {
        // RFC 6238 Appendix B: the ASCII key "12345678901234567890", SHA-1, 8 digits, 30 s, T = 59 s gives 94287082;
        // Keycloak's credential keeps such a secret as it is and takes its UTF-8 bytes as the key (no secretEncoding).
        io.kagi.otp.Totp rfc = new io.kagi.otp.Totp(io.kagi.otp.HmacAlgorithm.SHA1, 8, Duration.ofSeconds(30));

        assertThat(rfc.generateAtStep("12345678901234567890".getBytes(StandardCharsets.US_ASCII), 1)).isEqualTo("94287082");
        assertThat(KeycloakComparison.KEYCLOAK_TOTP.step()).isEqualTo(Duration.ofSeconds(60));
        assertThat(KeycloakComparison.KEYCLOAK_TOTP.digits()).isEqualTo(6);
    }

    @Test
    void thePairsMediansAreKagiOverKeycloakForTheRateAndKeycloakOverKagiForTheCpu() {
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("rounds", List.of(
                round(200, 4000, 3000), round(100, 14000, 2000),
                round(210, 4000, 3000), round(70, 13000, 1000),
                round(220, 5000, 3000), round(100, 14000, 2000)));

        double[] medians = KeycloakComparison.medians(setting);

        assertThat(medians[0]).isCloseTo(2.2, within(1e-9));
        assertThat(medians[1]).isCloseTo(2.0, within(1e-9));
    }

    private static Map<String, Object> round(double perSecond, double serverMicros, double databaseMicros) {
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("perSecond", perSecond);
        round.put("serverCpuMicrosPerOp", serverMicros);
        round.put("databaseCpuMicrosPerOp", databaseMicros);
        return round;
    }

    /** The two forms' patterns, named for the tests. */
    private static final class Pattern {
        static final java.util.regex.Pattern LOGIN = KeycloakComparison.LOGIN_FORM;
        static final java.util.regex.Pattern OTP = KeycloakComparison.OTP_FORM;
    }
}
