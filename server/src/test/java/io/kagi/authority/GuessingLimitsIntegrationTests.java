package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.PORTAL;
import static io.kagi.authority.AuthorityTestSupport.issue;
import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The guessing limits as measured figures (docs/security.md, "Guessing limits"): each test hammers
 * the real endpoint with wrong guesses until it refuses (a bounded loop far above the limit),
 * counts the guesses that were actually checked, and prints the figure and the attacker's
 * resulting chance of success with the default policy.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@TestPropertySource(properties = "kagi.authority.activation.per-address-per-hour=30")
class GuessingLimitsIntegrationTests {

    private static final int HAMMER = 100;

    @LocalServerPort
    int port;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    ServiceId service;

    @BeforeEach
    void freshHourAndService() {
        // The rate windows are whole hours: start each measurement at the beginning of a fresh one.
        clock.set(clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).plusSeconds(5));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
    }

    @Test
    void activationPasswordGuessesPerTokenEndWithTheTokenVoided() {
        IssueResult.Issued issued = issue(tokens, service, new AccountRef("guess-activation"), "8406");
        int checked = 0;
        String finalAnswer = null;
        for (int guess = 0; guess < HAMMER; guess++) {
            TestTokenDevice.Attempt attempt = TestTokenDevice.attempt(base(), service.digits(), issued.userId().digits(),
                    String.format(Locale.ROOT, "%04d", guess));
            assertThat(attempt.device()).isNull();
            if (!"wrong-activation-password".equals(attempt.problemCode())) {
                finalAnswer = attempt.problemCode();
                if ("activation-voided".equals(finalAnswer) && checked < 5) {
                    checked++; // the guess that voided the token was checked too
                }
                break;
            }
            checked++;
        }

        assertThat(checked).isEqualTo(5);
        assertThat(finalAnswer).isEqualTo("activation-voided");
        assertThat(TestTokenDevice.attempt(base(), service.digits(), issued.userId().digits(), "8406").problemCode())
                .as("the right password after the fifth wrong one").isEqualTo("activation-voided");
        assertThat(tokens.status(service, new AccountRef("guess-activation")))
                .hasValueSatisfying(status -> assertThat(status.state()).isEqualTo(TokenState.VOIDED));
        System.out.printf(Locale.ROOT, "MEASURED activation password guesses per token: %d, then %s; "
                        + "success chance %.1e (4 digits) to %.1e (8 digits)%n", checked, finalAnswer,
                checked / 1e4, checked / 1e8);
    }

    @Test
    void bareActivationStartsPerTokenAreLimitedOnlyByTheAddress() {
        IssueResult.Issued issued = issue(tokens, service, new AccountRef("guess-starts"), "84062291");
        String body = "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"" + service + "\",\"userId\":\"" + issued.userId() + "\",\"A\":\""
                + "0".repeat(511) + "2\"}";
        int started = 0;
        int status = 0;
        for (int i = 0; i < HAMMER; i++) {
            status = post("/api/v1/activation/start", body);
            if (status != 200) {
                break;
            }
            started++;
        }

        assertThat(started).as("bare starts do not count against the token; the address's 30 do").isEqualTo(30);
        assertThat(status).isEqualTo(429);
        System.out.printf(Locale.ROOT, "MEASURED bare activation starts of one token from one address: %d, then HTTP %d%n",
                started, status);
    }

    @Test
    void activationStartsPerClientAddressPerHour() {
        int answered = 0;
        int status = 0;
        for (int i = 0; i < HAMMER; i++) {
            status = post("/api/v1/activation/start", "{\"protocol\":\"kagi-activation-2\",\"serviceId\":\"" + service + "\",\"userId\":\""
                    + String.format(Locale.ROOT, "%06d", i) + "\",\"A\":\"" + "0".repeat(511) + "2\"}");
            if (status == 429) {
                break;
            }
            answered++;
        }

        assertThat(answered).isEqualTo(30);
        assertThat(status).isEqualTo(429);
        System.out.printf(Locale.ROOT, "MEASURED activation starts per client address per hour: %d, then HTTP %d%n",
                answered, status);
    }

    @Test
    void otpGuessesPerTokenBeforeTheLock() {
        AccountRef account = new AccountRef("guess-otp");
        TestTokenDevice device = activated(account);
        String right = device.codeAt(clock.instant());
        int checked = 0;
        VerificationResult last = null;
        for (int guess = 0; guess < HAMMER; guess++) {
            String wrong = wrongCode(device, guess);
            last = tokens.verify(service, account, wrong, PORTAL);
            if (last instanceof VerificationResult.Rejected) {
                checked++;
                continue;
            }
            if (last instanceof VerificationResult.Locked && checked < 5) {
                checked++; // the guess that locked the token was checked too
            }
            break;
        }

        assertThat(checked).isEqualTo(5);
        assertThat(last).isInstanceOf(VerificationResult.Locked.class);
        assertThat(tokens.verify(service, account, right, PORTAL)).as("the right code after the lock")
                .isInstanceOf(VerificationResult.Locked.class);
        double perGuess = 3 / 1e6;
        System.out.printf(Locale.ROOT, "MEASURED OTP guesses per token before the lock: %d; success chance %.1e "
                + "(6 digits, window ±1: 3 codes match)%n", checked, 1 - Math.pow(1 - perGuess, checked));
    }

    @Test
    void parallelOtpGuessesAreCountedExactlyAndNoneIsCheckedAfterTheLock() throws Exception {
        AccountRef account = new AccountRef("guess-otp-parallel");
        TestTokenDevice device = activated(account);
        int threads = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<VerificationResult>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String wrong = wrongCode(device, i);
                Callable<VerificationResult> guess = () -> {
                    go.await();
                    return tokens.verify(service, account, wrong, PORTAL);
                };
                answers.add(pool.submit(guess));
            }
            go.countDown();
            int rejected = 0;
            int locked = 0;
            for (Future<VerificationResult> answer : answers) {
                VerificationResult result = answer.get(60, TimeUnit.SECONDS);
                if (result instanceof VerificationResult.Rejected) {
                    rejected++;
                } else if (result instanceof VerificationResult.Locked) {
                    locked++;
                }
            }
            int failures = jdbc.sql("""
                            SELECT t.consecutive_failures FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                            WHERE a.account_ref = 'guess-otp-parallel' AND t.state = 'LOCKED'""")
                    .query(Integer.class).single();

            assertThat(rejected + locked).isEqualTo(threads);
            assertThat(rejected).as("answers that told 'wrong, attempts left'").isEqualTo(4);
            assertThat(failures).as("failures counted in the token row").isEqualTo(5);
            System.out.printf(Locale.ROOT, "MEASURED %d parallel OTP guesses: %d answered wrong-code, %d locked; "
                    + "failures counted %d%n", threads, rejected, locked, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongCodesMadeWhileTheAcceptedCodeWasValidStayCounted() {
        AccountRef account = new AccountRef("guess-otp-reset");
        TestTokenDevice device = activated(account);
        for (int i = 0; i < 4; i++) {
            assertThat(tokens.verify(service, account, wrongCode(device, i), PORTAL))
                    .isEqualTo(new VerificationResult.Rejected(4 - i));
        }

        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);

        assertThat(tokens.verify(service, account, wrongCode(device, 5), PORTAL))
                .as("the fifth wrong code since the right one became valid locks")
                .isInstanceOf(VerificationResult.Locked.class);
    }

    @Test
    void anAcceptedCodeForgivesTheFailuresMadeBeforeItBecameValid() {
        AccountRef account = new AccountRef("guess-otp-forgiven");
        TestTokenDevice device = activated(account);
        for (int i = 0; i < 4; i++) {
            tokens.verify(service, account, wrongCode(device, i), PORTAL);
        }
        clock.advance(Duration.ofMinutes(10));

        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);

        assertThat(tokens.verify(service, account, wrongCode(device, 5), PORTAL))
                .isEqualTo(new VerificationResult.Rejected(4));
    }

    @Test
    void aBurstOfFiftyParallelGuessesWithRightCodesAmongThemEvaluatesAtMostTheThresholdOfWrongOnes() throws Exception {
        int bursts = 8;
        int parallel = 50;
        int most = 0;
        List<Integer> evaluated = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            for (int burst = 0; burst < bursts; burst++) {
                AccountRef account = new AccountRef("guess-otp-burst-" + burst);
                TestTokenDevice device = activated(account);
                Instant now = clock.instant();
                List<String> guesses = new ArrayList<>();
                for (int i = 0; i < parallel; i++) {
                    guesses.add(wrongCode(device, burst * parallel + i));
                }
                // The three codes the window accepts now, among the wrong ones (early, middle, late).
                guesses.set(3, device.codeAt(now.minusSeconds(60)));
                guesses.set(7, device.codeAt(now));
                guesses.set(25, device.codeAt(now.plusSeconds(60)));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<VerificationResult>> answers = new ArrayList<>();
                for (String guess : guesses) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return tokens.verify(service, account, guess, PORTAL);
                    }));
                }
                go.countDown();
                for (Future<VerificationResult> answer : answers) {
                    answer.get(60, TimeUnit.SECONDS);
                }
                String subject = "token:" + service + "/" + tokens.status(service, account).orElseThrow().userId();
                int wrongEvaluated = jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'OTP_REJECTED' AND subject = :subject")
                        .param("subject", subject).query(Integer.class).single();
                evaluated.add(wrongEvaluated);
                most = Math.max(most, wrongEvaluated);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "MEASURED %d bursts of %d parallel OTP guesses (3 right codes each): wrong codes "
                + "evaluated per burst %s, at most %d (threshold 5)%n", bursts, parallel, evaluated, most);
        assertThat(most).isLessThanOrEqualTo(ServicePolicy.defaults().lockThreshold());
    }

    private TestTokenDevice activated(AccountRef account) {
        IssueResult.Issued issued = issue(tokens, service, account, "84062291");
        return TestTokenDevice.activate(base(), service.digits(), issued.userId().digits(), "84062291");
    }

    /** A code that matches none of the steps in the window around now. */
    private String wrongCode(TestTokenDevice device, int seed) {
        Instant now = clock.instant();
        List<String> window = List.of(device.codeAt(now.minusSeconds(60)), device.codeAt(now), device.codeAt(now.plusSeconds(60)));
        int candidate = seed * 7919;
        String code;
        do {
            code = String.format(Locale.ROOT, "%06d", candidate++ % 1_000_000);
        } while (window.contains(code));
        return code;
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private int post(String path, String json) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(base() + path))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
