package io.kagi.console;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's password factor (issue 19): a lock after five wrong passwords ends by itself after
 * {@code kagi.console.login-lock-duration} (30 minutes), so nobody can lock out the only supervisor
 * for good; an unknown login ID locks and ends exactly like a known one, so neither the message nor
 * the lock tells which IDs exist.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class OperatorSignInIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    ConsoleTestData data;

    @BeforeEach
    void setUp() {
        data = new ConsoleTestData(jdbc, passwordEncoder, clock);
    }

    @Test
    void anOperatorsLockEndsByItselfAfterThirtyMinutes() {
        data.operator("locksup1", "Supervisor-pass-2026", "SUPERVISOR");
        assertThat(answersAfterFiveWrongPasswords("locksup1")).endsWith("/console/login?locked");
        assertThat(where(new ConsoleClient(base()).logIn("locksup1", "Supervisor-pass-2026"))).endsWith("/console/login?locked");

        clock.advance(Duration.ofMinutes(29));
        assertThat(where(new ConsoleClient(base()).logIn("locksup1", "Supervisor-pass-2026"))).endsWith("/console/login?locked");

        clock.advance(Duration.ofMinutes(1));
        assertThat(where(new ConsoleClient(base()).logIn("locksup1", "Supervisor-pass-2026")))
                .doesNotContain("/console/login");
        assertThat(jdbc.sql("SELECT failed_login_count FROM console_operator WHERE login_id = 'locksup1'")
                .query(Integer.class).single()).isZero();
    }

    @Test
    void anUnknownOperatorIdAnswersAndLocksLikeAKnownOne() {
        data.operator("knownop1", "Operator-pass-2026", "OPERATOR");
        String known = answersAfterFiveWrongPasswords("knownop1");
        String unknown = answersAfterFiveWrongPasswords("nobody01");
        assertThat(unknown).isEqualTo(known).endsWith("/console/login?locked");

        clock.advance(Duration.ofMinutes(30));
        assertThat(where(new ConsoleClient(base()).logIn("knownop1", "wrong-pass-2026"))).endsWith("/console/login?error");
        assertThat(where(new ConsoleClient(base()).logIn("nobody01", "wrong-pass-2026"))).endsWith("/console/login?error");
    }

    /** Four wrong passwords answered "wrong", then the fifth; returns where the fifth was sent. */
    private String answersAfterFiveWrongPasswords(String loginId) {
        for (int i = 1; i <= 4; i++) {
            assertThat(where(new ConsoleClient(base()).logIn(loginId, "wrong-" + i + "-2026"))).endsWith("/console/login?error");
        }
        return where(new ConsoleClient(base()).logIn(loginId, "wrong-5-2026"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static String where(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }
}
