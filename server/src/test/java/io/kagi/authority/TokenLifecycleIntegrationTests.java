package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.PORTAL;
import static io.kagi.authority.AuthorityTestSupport.issue;
import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** Every transition of a token, through the Java API and the real activation endpoints. */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@RecordApplicationEvents
class TokenLifecycleIntegrationTests {

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

    @Autowired
    ApplicationEvents events;

    @Autowired
    AuthorityTestSupport.PublishedEvents published;

    ServiceId service;
    AccountRef account = new AccountRef("taro01");

    @BeforeEach
    void freshService() {
        clock.advance(Duration.ofMinutes(10));
        jdbc.sql("DELETE FROM authority_rate_bucket").update();
        service = newService(services, ServicePolicy.defaults());
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    TestTokenDevice issueAndActivate(String password) {
        IssueResult.Issued issued = issue(tokens, service, account, password);
        return TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), password);
    }

    @Test
    void issuedTokenWaitsForActivationThenVerifiesCodes() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");

        assertThat(issued.userId().digits()).matches("[0-9]{6}");
        assertThat(issued.activationDeadline()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(tokens.status(service, account)).hasValueSatisfying(status -> {
            assertThat(status.state()).isEqualTo(TokenState.ISSUED);
            assertThat(status.mailAddress()).isEqualTo("taro01@example.jp");
        });
        assertThat(tokens.verify(service, account, "123456", PORTAL))
                .isEqualTo(new VerificationResult.NoUsableToken(TokenState.ISSUED));
        assertThat(events.stream(TokenIssued.class)).singleElement()
                .satisfies(event -> assertThat(event.userId()).isEqualTo(issued.userId()));

        TestTokenDevice device = TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        assertThat(device.serviceName()).isEqualTo("テストサービス " + service);
        assertThat(device.serverTime()).isEqualTo(clock.instant());
        assertThat(device.parameters().canonical()).isEqualTo("SHA256:6:60");
        assertThat(tokens.status(service, account)).hasValueSatisfying(status -> {
            assertThat(status.state()).isEqualTo(TokenState.ACTIVE);
            assertThat(status.activatedAt()).isEqualTo(clock.instant());
        });
        assertThat(published.of(TokenActivated.class))
                .filteredOn(event -> event.serviceId().equals(service)).hasSize(1);
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
    }

    @Test
    void findsTheAccountThatHoldsAUserIdOfTheService() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        ServiceId other = newService(services, ServicePolicy.defaults());

        assertThat(tokens.accountOf(service, issued.userId())).contains(account);
        assertThat(tokens.accountOf(other, issued.userId())).isEmpty();
        String unused = issued.userId().digits().equals("000000") ? "000001" : "000000";
        assertThat(tokens.accountOf(service, new UserId(unused))).isEmpty();
    }

    @Test
    void aCodeIsAcceptedOnceAndAgainItIsAnsweredAlreadyUsedWithoutCounting() {
        TestTokenDevice device = issueAndActivate("4711");
        String code = device.codeAt(clock.instant());

        assertThat(tokens.verify(service, account, code, PORTAL)).isInstanceOf(VerificationResult.Accepted.class);
        assertThat(tokens.verify(service, account, code, PORTAL)).isEqualTo(new VerificationResult.AlreadyUsed(5));
        clock.advance(Duration.ofSeconds(60));
        assertThat(tokens.verify(service, account, code, PORTAL))
                .as("the previous step's code is inside the window but at the last accepted step")
                .isEqualTo(new VerificationResult.AlreadyUsed(5));
        assertThat(tokens.status(service, account).orElseThrow().consecutiveFailures()).isZero();
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
    }

    @Test
    void acceptsOneStepEitherSideButNotTwo() {
        TestTokenDevice device = issueAndActivate("4711");
        Instant now = clock.instant();

        assertThat(tokens.verify(service, account, device.codeAt(now.minusSeconds(120)), PORTAL))
                .isEqualTo(new VerificationResult.Rejected(4));
        assertThat(tokens.verify(service, account, device.codeAt(now.minusSeconds(60)), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
        assertThat(tokens.verify(service, account, device.nextCodeAfter(now), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
        assertThat(tokens.verify(service, account, device.codeAt(now.plusSeconds(120)), PORTAL))
                .as("the first failure was made while the accepted codes were valid: it stays counted")
                .isEqualTo(new VerificationResult.Rejected(3));
    }

    @Test
    void fiveFailuresLockTheTokenAndUnlockResetsIt() {
        TestTokenDevice device = issueAndActivate("4711");
        String wrong = device.codeAt(clock.instant()).equals("000000") ? "111111" : "000000";

        for (int left = 4; left >= 1; left--) {
            assertThat(tokens.verify(service, account, wrong, PORTAL)).isEqualTo(new VerificationResult.Rejected(left));
        }
        assertThat(tokens.verify(service, account, wrong, PORTAL)).isEqualTo(new VerificationResult.Locked(clock.instant()));
        assertThat(events.stream(TokenLocked.class)).hasSize(1);
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .as("a right code does not open a locked token")
                .isEqualTo(new VerificationResult.Locked(clock.instant()));
        assertThat(tokens.status(service, account).orElseThrow().state()).isEqualTo(TokenState.LOCKED);

        assertThat(tokens.unlock(service, account, PORTAL)).isTrue();
        assertThat(tokens.unlock(service, account, PORTAL)).isFalse();

        TokenStatus status = tokens.status(service, account).orElseThrow();
        assertThat(status.state()).isEqualTo(TokenState.ACTIVE);
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(tokens.verify(service, account, wrong, PORTAL)).isEqualTo(new VerificationResult.Rejected(4));
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
        assertThat(tokens.status(service, account).orElseThrow().consecutiveFailures())
                .as("a failure made while the accepted code was valid stays counted").isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
        assertThat(tokens.status(service, account).orElseThrow().consecutiveFailures())
                .as("a later code forgives it").isZero();
        assertThat(auditTypes()).contains("TOKEN_LOCKED", "TOKEN_UNLOCKED", "OTP_REJECTED", "OTP_REFUSED", "OTP_ACCEPTED");
    }

    @Test
    void fiftyThreadsSubmittingOneValidCodeGiveExactlyOneSuccess() throws Exception {
        TestTokenDevice device = issueAndActivate("4711");
        String code = device.codeAt(clock.instant());
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<VerificationResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                ClientInfo client = new ClientInfo("user:taro01", "192.0.2." + i);
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return tokens.verify(service, account, code, client);
                }));
            }
            ready.await();
            go.countDown();
            List<VerificationResult> outcomes = new ArrayList<>();
            for (Future<VerificationResult> result : results) {
                outcomes.add(result.get());
            }

            assertThat(outcomes).filteredOn(VerificationResult.Accepted.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(outcome -> !(outcome instanceof VerificationResult.Accepted))
                    .hasSize(threads - 1)
                    .allSatisfy(outcome -> assertThat(outcome).isInstanceOf(VerificationResult.AlreadyUsed.class));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCodesOfDifferentTokensAreEachAcceptedOnceWithTheirOwnAuditRow() throws Exception {
        int count = 12;
        List<AccountRef> accounts = new ArrayList<>();
        List<TestTokenDevice> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AccountRef each = new AccountRef("group-" + i);
            IssueResult.Issued issued = issue(tokens, service, each, "4711");
            accounts.add(each);
            devices.add(TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(count * 2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<VerificationResult>> results = new ArrayList<>();
        try {
            // Each code twice at once: one of the two is a replay, wherever the batches fall.
            for (int i = 0; i < count * 2; i++) {
                AccountRef each = accounts.get(i % count);
                String code = devices.get(i % count).codeAt(clock.instant());
                results.add(pool.submit(() -> {
                    go.await();
                    return tokens.verify(service, each, code, PORTAL);
                }));
            }
            go.countDown();
            List<VerificationResult> outcomes = new ArrayList<>();
            for (Future<VerificationResult> result : results) {
                outcomes.add(result.get());
            }

            assertThat(outcomes).filteredOn(VerificationResult.Accepted.class::isInstance).hasSize(count);
            assertThat(outcomes).filteredOn(VerificationResult.AlreadyUsed.class::isInstance).hasSize(count);
            for (AccountRef each : accounts) {
                String subject = "token:" + service + "/" + tokens.status(service, each).orElseThrow().userId();
                assertThat(jdbc.sql("SELECT type FROM audit_event WHERE subject = :subject AND type LIKE 'OTP_%'")
                        .param("subject", subject).query(String.class).list())
                        .containsExactlyInAnyOrder("OTP_ACCEPTED", "OTP_REFUSED");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenActivatesOnce() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        TestTokenDevice.Attempt second = TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        assertThat(second.status()).as("answered like unknown IDs (no enumeration)").isEqualTo(404);
        assertThat(second.problemCode()).isEqualTo("token-not-found");
        assertThat(published.of(TokenActivated.class))
                .filteredOn(event -> event.serviceId().equals(service)).hasSize(1);
    }

    @Test
    void fiveWrongActivationPasswordsVoidTheToken() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        String userId = issued.userId().digits();

        for (int left = 4; left >= 1; left--) {
            TestTokenDevice.Attempt wrong = TestTokenDevice.attempt(baseUrl(), service.digits(), userId, "4712");
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.problemCode()).isEqualTo("wrong-activation-password");
            assertThat(wrong.attemptsLeft()).isEqualTo(left);
        }
        TestTokenDevice.Attempt fifth = TestTokenDevice.attempt(baseUrl(), service.digits(), userId, "4712");
        TestTokenDevice.Attempt right = TestTokenDevice.attempt(baseUrl(), service.digits(), userId, "4711");

        assertThat(fifth.status()).isEqualTo(410);
        assertThat(fifth.problemCode()).isEqualTo("activation-voided");
        assertThat(right.problemCode()).isEqualTo("activation-voided");
        assertThat(tokens.status(service, account).orElseThrow().state()).isEqualTo(TokenState.VOIDED);
        assertThat(auditTypes()).contains("ACTIVATION_WRONG_PASSWORD", "TOKEN_VOIDED");
    }

    @Test
    void aRightPasswordAfterWrongOnesStillActivates() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");

        TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "9999");
        TestTokenDevice device = TestTokenDevice.activate(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
    }

    @Test
    void aTokenNotActivatedWithin24HoursExpires() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        clock.advance(Duration.ofHours(24));

        TestTokenDevice.Attempt late = TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        assertThat(late.status()).isEqualTo(410);
        assertThat(late.problemCode()).isEqualTo("activation-expired");
        assertThat(tokens.status(service, account).orElseThrow().state()).isEqualTo(TokenState.EXPIRED);
        assertThat(tokens.verify(service, account, "123456", PORTAL))
                .isEqualTo(new VerificationResult.NoUsableToken(TokenState.EXPIRED));
    }

    @Test
    void anExchangeMustBeFinishedWithinItsValidity() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        clock.advance(Duration.ofHours(23).plusMinutes(58));

        TestTokenDevice.Attempt inTime = TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "4711");

        assertThat(inTime.status()).isEqualTo(200);
    }

    @Test
    void unknownIdsAreNotFound() {
        TestTokenDevice.Attempt unknown = TestTokenDevice.attempt(baseUrl(), service.digits(), "000000", "4711");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemCode()).isEqualTo("token-not-found");
    }

    @Test
    void issuingAgainVoidsTheEarlierTokenAndGivesAFreshUserId() {
        TestTokenDevice old = issueAndActivate("4711");

        IssueResult.Issued again = issue(tokens, service, account, "2468");

        assertThat(again.userId().digits()).isNotEqualTo(old.userId());
        assertThat(tokens.accountOf(service, new UserId(old.userId()))).contains(account);
        assertThat(tokens.accountOf(service, again.userId())).contains(account);
        assertThat(tokens.verify(service, account, old.codeAt(clock.instant()), PORTAL))
                .isEqualTo(new VerificationResult.NoUsableToken(TokenState.ISSUED));
        TestTokenDevice.Attempt withOldId = TestTokenDevice.attempt(baseUrl(), service.digits(), old.userId(), "2468");
        assertThat(withOldId.problemCode()).isEqualTo("token-not-found");
        TestTokenDevice.Attempt withOldPassword = TestTokenDevice.attempt(baseUrl(), service.digits(),
                again.userId().digits(), "4711");
        assertThat(withOldPassword.problemCode()).isEqualTo("wrong-activation-password");
        TestTokenDevice fresh = TestTokenDevice.activate(baseUrl(), service.digits(), again.userId().digits(), "2468");
        clock.advance(Duration.ofMinutes(1));
        assertThat(tokens.verify(service, account, old.codeAt(clock.instant()), PORTAL))
                .isEqualTo(new VerificationResult.Rejected(4));
        assertThat(tokens.verify(service, account, fresh.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
        assertThat(jdbc.sql("""
                        SELECT t.state FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                        JOIN authority_service s ON s.id = a.service_fk WHERE s.service_id = :service ORDER BY t.id""")
                .param("service", service.digits()).query(String.class).list())
                .containsExactly("VOIDED", "ACTIVE");
    }

    @Test
    void differentAccountsGetDifferentUserIds() {
        IssueResult.Issued first = issue(tokens, service, new AccountRef("a1"), "4711");
        IssueResult.Issued second = issue(tokens, service, new AccountRef("a2"), "4711");

        assertThat(first.userId()).isNotEqualTo(second.userId());
    }

    @Test
    void aRevokedTokenCanBeIssuedAgainAfterTheCoolingOff() {
        TestTokenDevice device = issueAndActivate("4711");
        Instant revokedAt = clock.instant();

        assertThat(tokens.revoke(service, account, PORTAL)).isTrue();
        assertThat(tokens.revoke(service, account, PORTAL)).isFalse();
        assertThat(events.stream(TokenRevoked.class)).hasSize(1);
        assertThat(tokens.status(service, account).orElseThrow().revokedAt()).isEqualTo(revokedAt);
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isEqualTo(new VerificationResult.NoUsableToken(TokenState.REVOKED));
        assertThat(tokens.issue(service, account, "taro01@example.jp", "1357".toCharArray(), Locale.JAPANESE, PORTAL))
                .isEqualTo(new IssueResult.CoolingOff(revokedAt.plus(Duration.ofMinutes(30))));

        clock.advance(Duration.ofMinutes(30));

        assertThat(tokens.issue(service, account, "taro01@example.jp", "1357".toCharArray(), Locale.JAPANESE, PORTAL))
                .isInstanceOf(IssueResult.Issued.class);
    }

    @Test
    void aRevokedTokenCannotBeActivated() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");
        tokens.revoke(service, account, PORTAL);

        assertThat(TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "4711").problemCode())
                .isEqualTo("token-not-found");
    }

    @Test
    void aPendingTokenCanBeVoided() {
        IssueResult.Issued issued = issue(tokens, service, account, "4711");

        tokens.voidPending(service, account, PORTAL);

        assertThat(tokens.status(service, account).orElseThrow().state()).isEqualTo(TokenState.VOIDED);
        assertThat(TestTokenDevice.attempt(baseUrl(), service.digits(), issued.userId().digits(), "4711").problemCode())
                .isEqualTo("activation-voided");
    }

    @Test
    void voidPendingLeavesAnActiveTokenAlone() {
        issueAndActivate("4711");

        tokens.voidPending(service, account, PORTAL);

        assertThat(tokens.status(service, account).orElseThrow().state()).isEqualTo(TokenState.ACTIVE);
    }

    @Test
    void unknownServicesAndAccountsAreAnswered() {
        assertThat(tokens.issue(new ServiceId("00000001"), account, "x@example.jp", "4711".toCharArray(), Locale.JAPANESE, PORTAL))
                .isEqualTo(new IssueResult.UnknownService());
        assertThat(tokens.status(service, new AccountRef("nobody"))).isEmpty();
        assertThat(tokens.verify(service, new AccountRef("nobody"), "123456", PORTAL))
                .isEqualTo(new VerificationResult.NoUsableToken(null));
        assertThat(tokens.revoke(service, new AccountRef("nobody"), PORTAL)).isFalse();
        assertThat(tokens.unlock(service, new AccountRef("nobody"), PORTAL)).isFalse();
    }

    @Test
    void tokensUseTheServicesPolicy() {
        service = newService(services, ServicePolicy.defaults().withOtp("SHA1", 8, Duration.ofSeconds(30)).withLockThreshold(3));
        TestTokenDevice device = issueAndActivate("4711");

        assertThat(device.parameters().canonical()).isEqualTo("SHA1:8:30");
        assertThat(device.codeAt(clock.instant())).hasSize(8);
        assertThat(tokens.verify(service, account, "00000000", PORTAL)).isEqualTo(new VerificationResult.Rejected(2));
        assertThat(tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL))
                .isInstanceOf(VerificationResult.Accepted.class);
    }

    List<String> auditTypes() {
        return jdbc.sql("SELECT type FROM audit_event WHERE subject LIKE :subject")
                .param("subject", "token:" + service + "/%")
                .query(String.class).list();
    }
}
