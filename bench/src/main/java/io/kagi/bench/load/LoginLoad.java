package io.kagi.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The portal's full login under load (filled in once the portal has landed), and bcrypt's own rate. */
final class LoginLoad {

    private final RunAll run;

    LoginLoad(RunAll run) {
        this.run = run;
    }

    Map<String, Object> run() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("skipped", "the portal's login is not on this branch yet");
        return result;
    }

    /** bcrypt's own rate (checks per second) at the production cost (11) and the low cost (4), on 1 and 2 threads. */
    static Map<String, Object> bcryptRates(int seconds) throws InterruptedException {
        Map<String, Object> rates = new LinkedHashMap<>();
        for (int cost : new int[] {11, 4}) {
            String hash = new BCryptPasswordEncoder(cost).encode("bench-password-1");
            for (int threads : new int[] {1, 2}) {
                long[] counts = new long[threads];
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                Thread[] workers = new Thread[threads];
                BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(cost);
                for (int t = 0; t < threads; t++) {
                    int index = t;
                    workers[t] = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            if (!encoder.matches("bench-password-1", hash)) {
                                throw new IllegalStateException("bcrypt did not match");
                            }
                            counts[index]++;
                        }
                    });
                    workers[t].start();
                }
                long total = 0;
                for (int t = 0; t < threads; t++) {
                    workers[t].join();
                    total += counts[t];
                }
                double perSecond = total / (double) seconds;
                rates.put("cost" + cost + "Threads" + threads + "PerSecond", perSecond);
                System.out.printf("  bcrypt cost %d, %d thread(s): %.1f checks/s%n", cost, threads, perSecond);
            }
        }
        return rates;
    }
}
