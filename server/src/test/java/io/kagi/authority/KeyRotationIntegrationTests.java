package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.PORTAL;
import static io.kagi.authority.AuthorityTestSupport.issue;
import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kagi.KagiApplication;
import io.kagi.platform.KeyRingsForTests;
import io.kagi.platform.Resealing;
import io.kagi.platform.SealedColumn;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A key rotation as the bank runs it: every value sealed under the old key {@code old-a}; the nodes
 * get the new key {@code rotated-b} as the active one; the re-seal runs (on two "nodes" at once)
 * while codes keep being verified; then a node whose ring no longer holds the old key still
 * verifies every token and activates the pending ones.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
@TestPropertySource(properties = {
        "kagi.keys.ring=" + KeyRotationIntegrationTests.OLD_KEY + "," + KeyRotationIntegrationTests.NEW_KEY,
        "kagi.keys.active=rotated-b",
        "kagi.keys.reseal-batch-size=3",
        "kagi.keys.reseal-initial-delay=PT1H"})
class KeyRotationIntegrationTests {

    static final String OLD_KEY = "old-a=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";
    static final String NEW_KEY = "rotated-b=AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
    private static final int ACTIVE_TOKENS = 8;

    @LocalServerPort
    int port;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @Autowired
    Resealing resealing;

    @Autowired
    List<SealedColumn> columns;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    Environment environment;

    @Test
    void tokensKeepVerifyingWhileTheReSealRunsAndVerifyAfterTheOldKeyIsRemoved() throws Exception {
        ServiceId service = newService(services, ServicePolicy.defaults());
        Map<AccountRef, TestTokenDevice> devices = new HashMap<>();
        for (int n = 0; n < ACTIVE_TOKENS; n++) {
            AccountRef account = new AccountRef("rotation" + n);
            IssueResult.Issued issued = issue(tokens, service, account, "4711");
            devices.put(account, TestTokenDevice.activate("http://localhost:" + port, service.digits(),
                    issued.userId().digits(), "4711"));
        }
        AccountRef pending = new AccountRef("rotation-pending");
        IssueResult.Issued pendingToken = issue(tokens, service, pending, "4712");
        // The database as it was before the rotation: every value sealed under the old key.
        KeyRingsForTests.resealing(jdbc, transactions, KeyRingsForTests.secrets(OLD_KEY + "," + NEW_KEY, "old-a"),
                columns, 5).resealAll();
        long sealed = valuesUnder("old-a");
        assertThat(sealed).isEqualTo(2L * ACTIVE_TOKENS + 1);
        assertThat(valuesUnder("rotated-b")).isZero();

        List<VerificationResult> results = new ArrayList<>();
        AtomicBoolean resealed = new AtomicBoolean();
        CountDownLatch verifying = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> verifier = threads.submit(() -> {
                int roundsAfter = 0;
                while (roundsAfter < 2) {
                    boolean done = resealed.get();
                    Instant now = clock.advance(Duration.ofSeconds(60));
                    devices.forEach((account, device) ->
                            results.add(tokens.verify(service, account, device.codeAt(now), PORTAL)));
                    verifying.countDown();
                    roundsAfter += done ? 1 : 0;
                }
                return null;
            });
            assertThat(verifying.await(60, TimeUnit.SECONDS)).isTrue();
            Future<Resealing.Pass> nodeOne = threads.submit(resealing::resealAll);
            Future<Resealing.Pass> nodeTwo = threads.submit(resealing::resealAll);
            Resealing.Pass one = nodeOne.get(60, TimeUnit.SECONDS);
            Resealing.Pass two = nodeTwo.get(60, TimeUnit.SECONDS);
            resealed.set(true);
            verifier.get(60, TimeUnit.SECONDS);

            assertThat(one.moved() + two.moved()).isEqualTo(sealed);
            assertThat(one.unopenable() + two.unopenable()).isZero();
        } finally {
            threads.shutdownNow();
        }
        assertThat(results).hasSizeGreaterThanOrEqualTo(3 * ACTIVE_TOKENS)
                .allSatisfy(result -> assertThat(result).isInstanceOf(VerificationResult.Accepted.class));
        assertThat(resealing.usage()).containsExactly(
                new Resealing.KeyUsage("old-a", true, false, 0),
                new Resealing.KeyUsage("rotated-b", true, true, sealed));
        assertThat(resealing.usage().get(0).removable()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM authority_token WHERE seed_sealed IS NOT NULL AND seed_key_id <> 'rotated-b'")
                .query(Long.class).single()).isZero();
        assertThat(resealing.resealAll()).isEqualTo(new Resealing.Pass(0, 0, 0));

        LaterClock.start = clock.instant().plus(Duration.ofMinutes(5));
        try (ConfigurableApplicationContext withoutOldKey = nodeWithRing(NEW_KEY)) {
            Tokens node = withoutOldKey.getBean(Tokens.class);
            Instant now = LaterClock.start;
            devices.forEach((account, device) -> assertThat(node.verify(service, account, device.codeAt(now), PORTAL))
                    .isInstanceOf(VerificationResult.Accepted.class));
            TestTokenDevice activatedLater = TestTokenDevice.activate(
                    "http://localhost:" + withoutOldKey.getEnvironment().getProperty("local.server.port"),
                    service.digits(), pendingToken.userId().digits(), "4712");
            assertThat(node.verify(service, pending, activatedLater.codeAt(now), PORTAL))
                    .isInstanceOf(VerificationResult.Accepted.class);
        }
    }

    private long valuesUnder(String keyId) {
        return resealing.usage().stream().filter(key -> key.keyId().equals(keyId))
                .mapToLong(Resealing.KeyUsage::values).sum();
    }

    /** A second node on the same database whose ring holds only {@code ring}. */
    private ConfigurableApplicationContext nodeWithRing(String ring) {
        Map<String, String> properties = new HashMap<>();
        for (String name : List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                "spring.flyway.schemas", "spring.flyway.default-schema")) {
            String value = environment.getProperty(name);
            if (value != null) {
                properties.put(name, value);
            }
        }
        properties.put("kagi.keys.ring", ring);
        properties.put("kagi.keys.active", "");
        properties.put("kagi.keys.generate-if-missing", "false");
        properties.put("kagi.keys.reseal-initial-delay", "PT1H");
        properties.put("kagi.demo.enabled", "false");
        properties.put("kagi.data-dir", "target/test-data");
        properties.put("kagi.passwords.bcrypt-strength", "4");
        properties.put("kagi.authority.activation.per-address-per-hour", "10000");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("spring.datasource.hikari.minimum-idle", "1");
        // As arguments: the builder's properties() are defaults, which application.yml would override.
        return new SpringApplicationBuilder(KagiApplication.class, LaterClock.class).run(properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue()).toArray(String[]::new));
    }

    /**
     * The second node's clock, a little after the first's, so no code it is given counts as used
     * (a source of that node only: not a {@code @Configuration}, which this test's context would pick up).
     */
    static class LaterClock {

        static volatile Instant start;

        @Bean
        @Primary
        MutableClock laterClock() {
            return new MutableClock(start);
        }
    }
}
