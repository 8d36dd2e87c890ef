package io.kagi.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shared {@link Totp} and {@link Hotp} instances used by many threads at once, with different
 * secrets and algorithms interleaved on every thread, give exactly the single-threaded results.
 */
class ConcurrencyTests {

    private static final int THREADS = 16;
    private static final int SECRETS = 48;
    private static final int ROUNDS = 40;
    private static final Instant START = Instant.parse("2026-11-24T00:00:00Z");

    private final List<Totp> totps = List.of(
            new Totp(HmacAlgorithm.SHA1, 6, Duration.ofSeconds(30)),
            new Totp(HmacAlgorithm.SHA256, 6, Duration.ofSeconds(60)),
            new Totp(HmacAlgorithm.SHA512, 8, Duration.ofSeconds(30)));
    private final Hotp hotp = new Hotp(HmacAlgorithm.SHA256, 8);

    private record Case(int totpIndex, byte[] secret, Instant time) {
    }

    private record Outcome(String totpCode, OptionalLong verifiedStep, OptionalLong wrongCodeStep,
                           String hotpCode, String keyedCode) {
    }

    @Test
    void givesTheSingleThreadedResultsWhenSixteenThreadsShareInstances() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < SECRETS; i++) {
            int totpIndex = i % totps.size();
            cases.add(new Case(totpIndex, Secrets.generate(totps.get(totpIndex).algorithm()),
                    START.plusSeconds(37L * i)));
        }
        List<Outcome> expected = cases.stream().map(this::outcome).toList();

        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int offset = thread;
                futures.add(executor.submit(() -> {
                    start.await();
                    List<Outcome> seen = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < SECRETS; i++) {
                            seen.add(outcome(cases.get((i + offset + round) % SECRETS)));
                        }
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (int thread = 0; thread < THREADS; thread++) {
                List<Outcome> seen = futures.get(thread).get(60, TimeUnit.SECONDS);
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < SECRETS; i++) {
                        assertThat(seen.get(round * SECRETS + i))
                                .isEqualTo(expected.get((i + thread + round) % SECRETS));
                    }
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private Outcome outcome(Case c) {
        Totp totp = totps.get(c.totpIndex());
        long step = totp.stepAt(c.time());
        String code = totp.generate(c.secret(), c.time());
        String lateCode = totp.generateAtStep(c.secret(), step - 1);
        String wrongCode = code.charAt(0) == '9' ? "0" + code.substring(1) : (char) (code.charAt(0) + 1) + code.substring(1);
        return new Outcome(
                code,
                totp.verify(c.secret(), lateCode, c.time(), 1),
                totp.verify(c.secret(), wrongCode, c.time(), 1),
                hotp.generate(c.secret(), step),
                totp.keyed(c.secret()).generate(c.time()));
    }
}
