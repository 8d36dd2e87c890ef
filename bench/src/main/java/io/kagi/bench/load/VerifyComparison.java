package io.kagi.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two server jars side by side on one database, measured on verification
 * ({@code --only=verify-pair --compare-jar=PATH}): both nodes up at once on the same tokens, each
 * warmed until steady, then interleaved rounds (first, second, first, second, …) at the verify
 * phase's concurrency, so that the machine's drift — rates moved by a third from one run to the
 * next on 2026-12-08 — falls on both alike. Each round reports the rate, p50/p99 and the CPU a
 * verification of the node and of PostgreSQL; each pair the ratios. The first jar migrates the
 * database first, so the second may carry migrations the first does not know.
 */
final class VerifyComparison {

    private final RunAll run;

    VerifyComparison(RunAll run) {
        this.run = run;
    }

    Map<String, Object> run() throws Exception {
        RunAll.Options options = run.options();
        options.requireCompareJar("verify-pair");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("first", options.jar.toString());
        result.put("second", options.compareJar.toString());
        result.put("tokens", options.tokens);
        try (ServerNode first = run.startProduction("verify-first", options.nodePoolSize, Map.of())) {
            long serviceFk = run.db().insertService(RunAll.SERVICE_ID, run.apiSecret());
            run.db().seedTokens(serviceFk, run.tokens(), run.sealer(), 0, options.tokens, run.db().nextIdBase());
            run.db().execute("VACUUM ANALYZE");
            run.db().execute("CHECKPOINT");
            try (ServerNode second = run.startProduction("verify-second", options.nodePoolSize, Map.of(),
                    options.nodeJvmOptions, options.compareJar)) {
                VerifyLoad load = new VerifyLoad(run.tokens(), RunAll.SERVICE_ID, run.apiSecret());
                load.useTokens(options.tokens, 3);
                List<ServerNode> nodes = List.of(first, second);
                List<String> names = List.of("first", "second");
                for (int n = 0; n < 2; n++) {
                    List<Integer> port = List.of(nodes.get(n).port());
                    result.put("warmupSeconds " + names.get(n), ClosedLoop.warmUntilSteady("warm-up " + names.get(n),
                            options.concurrency, i -> load.worker(i, port), Duration.ofSeconds(options.warmupSeconds),
                            Duration.ofSeconds(options.warmupMaxSeconds), List.of(nodes.get(n)), run.db()));
                }
                List<Map<String, Object>> rounds = new ArrayList<>();
                for (int round = 1; round <= options.rounds; round++) {
                    for (int n = 0; n < 2; n++) {
                        List<Integer> port = List.of(nodes.get(n).port());
                        ClosedLoop.Result measured = ClosedLoop.run("verify, " + names.get(n) + ", round " + round,
                                options.concurrency, i -> load.worker(i, port), Duration.ZERO,
                                Duration.ofSeconds(options.seconds), Long.MAX_VALUE, List.of(nodes.get(n)), run.db());
                        Map<String, Object> phase = measured.toMap();
                        phase.put("jar", names.get(n));
                        phase.put("round", round);
                        rounds.add(phase);
                    }
                }
                result.put("rounds", rounds);
                result.put("pairs", SessionStoreComparison.pairs(rounds));
            }
        }
        return result;
    }
}
