package io.kagi.bizweb;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.platform.RawHttp;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal's password factor against guessing (issue 17): the throttle by address and by login
 * ID answers before any hash is computed, parallel guesses check no more passwords than the lock
 * allows, one wrong password costs one hash, and an unknown login ID is never stored in clear.
 * Other loopback addresses (127.0.x.y) stand for other machines. The throttle runs at its default
 * here (other tests raise the per-address allowance: they all log in from 127.0.0.1).
 */
@KagiIntegrationTest
@TestPropertySource(properties = "kagi.signin.free-per-address=10")
@Import({PortalTestData.ClockConfig.class, PortalSignInIntegrationTests.CountingHashes.class})
class PortalSignInIntegrationTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    PortalTestData data;

    /** Counts the password checks (bcrypt comparisons) the application makes. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CountingHashes {
        static final AtomicInteger CHECKS = new AtomicInteger();

        @Bean
        static BeanPostProcessor countPasswordChecks() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof PasswordEncoder encoder)) {
                        return bean;
                    }
                    return new PasswordEncoder() {
                        @Override
                        public String encode(CharSequence raw) {
                            return encoder.encode(raw);
                        }

                        @Override
                        public boolean matches(CharSequence raw, String encoded) {
                            CHECKS.incrementAndGet();
                            return encoder.matches(raw, encoded);
                        }
                    };
                }
            };
        }
    }

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
    }

    @Test
    void oneWrongPasswordCostsExactlyOnePasswordCheck() {
        data.masterUser("signin01", "Signin-pass-2026", "一回 太郎");
        int before = CountingHashes.CHECKS.get();
        assertThat(logIn("127.0.1.1", "signin01", "wrong-pass-2026")).endsWith("/bizweb/login?error");
        assertThat(CountingHashes.CHECKS.get() - before).isEqualTo(1);
    }

    @Test
    void sprayingFromOneAddressIsAnsweredWithoutHashesOnceTheFreeAttemptsAreUsed() {
        int before = CountingHashes.CHECKS.get();
        long started = System.nanoTime();
        int checked = 0;
        int toldToWait = 0;
        for (int i = 0; i < 64; i++) {
            String where = logIn("127.0.2.1", "spray" + i + "x", "Winter-2026");
            if (where.endsWith("?error")) {
                checked++;
            } else if (where.contains("?wait=")) {
                toldToWait++;
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int hashes = CountingHashes.CHECKS.get() - before;
        System.out.printf("FIGURE password spraying from one address: 64 attempts in %d ms, %d passwords checked, "
                + "%d answered 'wait' without a hash, %d hashes computed%n", millis, checked, toldToWait, hashes);
        assertThat(checked).isEqualTo(10);
        assertThat(toldToWait).isEqualTo(54);
        assertThat(hashes).isEqualTo(10);

        // Another address is not slowed by this one; this one may try again once its wait is over.
        assertThat(logIn("127.0.2.2", "spray0x", "Winter-2026")).endsWith("?error");
        assertThat(logIn("127.0.2.1", "spray99x", "Winter-2026")).contains("?wait=1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(logIn("127.0.2.1", "spray99x", "Winter-2026")).endsWith("?error");
        assertThat(logIn("127.0.2.1", "spray98x", "Winter-2026")).contains("?wait=2");
    }

    @Test
    void parallelAttemptsFromOneAddressWithinItsFreeAttemptsAreAllCheckedAndNoneToldToWait() throws Exception {
        // An office behind one address: ten people at the same moment. Each takes its own place.
        int attempts = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                String loginId = "office" + i + "x";
                answers.add(pool.submit(() -> {
                    start.await();
                    return logIn("127.0.5.1", loginId, "Office-pass-2026");
                }));
            }
            start.countDown();
            List<String> where = new ArrayList<>();
            for (Future<String> answer : answers) {
                where.add(answer.get());
            }
            assertThat(where).allSatisfy(answer -> assertThat(answer).endsWith("?error"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(logIn("127.0.5.1", "office99x", "Office-pass-2026")).contains("?wait=1");
    }

    @Test
    void aClockSteppedBackDoesNotBarAnAddressUntilItsLastAttempt() {
        Instant before = clock.instant();
        clock.advance(Duration.ofDays(30));
        for (int i = 0; i < 11; i++) {
            logIn("127.0.6.1", "ahead" + i + "x", "Ahead-pass-2026");
        }
        assertThat(logIn("127.0.6.1", "ahead99x", "Ahead-pass-2026")).contains("?wait=");
        clock.set(before);
        assertThat(logIn("127.0.6.1", "behind0x", "Ahead-pass-2026")).endsWith("?error");
    }

    @Test
    void parallelGuessesAtOneLoginIdCheckNoMorePasswordsThanTheLockAllows() throws Exception {
        data.masterUser("signin02", "Signin-pass-2026", "並列 花子");
        int before = CountingHashes.CHECKS.get();
        int guesses = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                String address = "127.0.3." + (i + 1);
                String guess = "guess-" + i + "-2026";
                answers.add(pool.submit(() -> {
                    start.await();
                    return logIn(address, "signin02", guess);
                }));
            }
            start.countDown();
            int wrong = 0;
            int locked = 0;
            int waited = 0;
            for (Future<String> answer : answers) {
                String where = answer.get();
                if (where.endsWith("?error")) {
                    wrong++;
                } else if (where.endsWith("?locked")) {
                    locked++;
                } else if (where.contains("?wait=")) {
                    waited++;
                }
            }
            int hashes = CountingHashes.CHECKS.get() - before;
            System.out.printf("FIGURE 50 parallel guesses at one login ID from 50 addresses: %d passwords checked "
                    + "(%d wrong, then locked), %d refused as locked, %d told to wait%n", hashes, wrong, locked, waited);
            assertThat(hashes).isLessThanOrEqualTo(5);
            assertThat(wrong + locked + waited).isEqualTo(guesses);
        } finally {
            pool.shutdownNow();
        }
        assertThat(logIn("127.0.3.100", "signin02", "Signin-pass-2026")).endsWith("?locked");
    }

    @Test
    void aLoginIdThatDoesNotExistIsKeptOnlyAsAKeyedDigest() {
        String typed = "MyRealPassword-" + System.nanoTime();
        assertThat(logIn("127.0.4.1", typed, "whatever-2026")).endsWith("?error");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE subject LIKE :typed OR details LIKE :typed")
                .param("typed", "%" + typed + "%").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'LOGIN_FAILED' AND subject LIKE 'login-id-digest:%'")
                .query(Long.class).single()).isPositive();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM signin_unknown_login WHERE login_digest LIKE :typed")
                .param("typed", "%" + typed + "%").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM signin_unknown_login").query(Long.class).single()).isPositive();
    }

    @Test
    void anUnknownLoginIdLocksLikeAKnownOne() {
        for (int i = 0; i < 4; i++) {
            assertThat(logIn("127.0.5." + (i + 1), "ghost77", "guess-" + i + "-2026")).endsWith("?error");
        }
        assertThat(logIn("127.0.5.9", "ghost77", "guess-9-2026")).endsWith("?locked");
        assertThat(logIn("127.0.5.10", "ghost77", "guess-10-2026")).endsWith("?locked");
    }

    /** Logs in from {@code localAddress}; returns where the portal sent the browser. */
    private String logIn(String localAddress, String loginId, String password) {
        RawHttp.Response page = RawHttp.exchange(localAddress, "127.0.0.1", port,
                "GET /bizweb/login HTTP/1.0\r\nHost: 127.0.0.1", "");
        // The login page opens no session: its form's CSRF token comes as a cookie of its own.
        String cookies = page.header("Set-Cookie").orElseThrow().lines()
                .map(cookie -> cookie.substring(0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';')))
                .collect(java.util.stream.Collectors.joining("; "));
        String form = "_csrf=" + URLEncoder.encode(first(CSRF, page.body()), StandardCharsets.UTF_8)
                + "&loginId=" + URLEncoder.encode(loginId, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        RawHttp.Response login = RawHttp.exchange(localAddress, "127.0.0.1", port,
                "POST /bizweb/login HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: " + cookies
                        + "\r\nContent-Type: application/x-www-form-urlencoded", form);
        assertThat(login.status()).as(login.body()).isEqualTo(302);
        return login.header("Location").orElseThrow();
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group(1);
    }
}
