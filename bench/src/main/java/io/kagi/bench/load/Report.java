package io.kagi.bench.load;

import java.util.List;
import java.util.Map;

/** The results as Markdown: the figures against the targets, then each phase. */
final class Report {

    private Report() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results) {
        StringBuilder md = new StringBuilder("# Kagi load benchmarks\n\n");
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        md.append("Run ").append(machine.get("date")).append(" on ").append(machine.get("cores")).append(" cores (")
                .append(machine.get("cpu")).append("), ").append(machine.get("memoryGiB")).append(" GiB; driver ")
                .append(machine.get("driverJdk")).append("; server JVM options `")
                .append(machine.get("nodeJvmOptions")).append("`; load average at start ")
                .append(machine.get("loadAverage1mAtStart")).append(Boolean.TRUE.equals(machine.get("quick")) ? "; **quick run**" : "")
                .append(".\n\n");
        md.append("| figure | measured | target | |\n|---|---:|---|---|\n");
        Map<String, Object> large = (Map<String, Object>) results.get("verifyLarge");
        Map<String, Object> pgbench = (Map<String, Object>) results.get("pgbench");
        if (large != null) {
            double rate = num(large, "perSecond");
            row(md, "verify, " + large.get("tokensInTable") + " tokens, 64 in flight", f0(rate) + " /s", "", "");
            if (pgbench != null) {
                double ratio = rate / num(pgbench, "tps");
                row(md, "pgbench, the same UPDATE (" + pgbench.get("clients") + " clients)", f0(num(pgbench, "tps")) + " tps", "", "");
                row(md, "verify ÷ pgbench", String.format("%.2f×", ratio), "≥ 0.7×", ratio >= 0.7 ? "met" : "**missed**");
            }
            double p99 = num(large, "p99Millis");
            row(md, "verify p50 / p99", f2(num(large, "p50Millis")) + " / " + f2(p99) + " ms", "p99 ≤ 25 ms", p99 <= 25 ? "met" : "**missed**");
        }
        Map<String, Object> small = (Map<String, Object>) results.get("verifySmall");
        if (small != null && large != null) {
            row(md, "verify p50 / p99 at " + small.get("tokensInTable") + " tokens", f2(num(small, "p50Millis")) + " / "
                    + f2(num(small, "p99Millis")) + " ms (" + f0(num(small, "perSecond")) + " /s)", "flat", "");
        }
        Object rss = results.get("rssUnderVerifyLoadKiB");
        if (rss instanceof Number n) {
            double mib = n.doubleValue() / 1024;
            row(md, "node RSS under verify load", f0(mib) + " MiB", "≤ 512 MiB", mib <= 512 ? "met" : "**missed**");
        }
        Map<String, Object> login = (Map<String, Object>) results.get("login");
        if (login != null) {
            for (Map.Entry<String, Object> entry : login.entrySet()) {
                if (entry.getValue() instanceof Map<?, ?> phase && phase.containsKey("perSecond")) {
                    Map<String, Object> p = (Map<String, Object>) phase;
                    boolean low = entry.getKey().contains("4");
                    double rate = num(p, "perSecond");
                    row(md, "full login, " + entry.getKey() + ", 16 users", f1(rate) + " /s, p50 " + f1(num(p, "p50Millis"))
                                    + " ms, p99 " + f1(num(p, "p99Millis")) + " ms",
                            low ? "≥ 500 /s" : "bounded by the hash", low ? (rate >= 500 ? "met" : "**missed**") : "");
                }
            }
        }
        Map<String, Object> bcrypt = (Map<String, Object>) results.get("bcrypt");
        if (bcrypt != null) {
            row(md, "bcrypt's own rate, cost 11 (1 / 2 threads)", f1(num(bcrypt, "cost11Threads1PerSecond")) + " / "
                    + f1(num(bcrypt, "cost11Threads2PerSecond")) + " /s", "", "");
            row(md, "bcrypt's own rate, cost 4 (1 / 2 threads)", f0(num(bcrypt, "cost4Threads1PerSecond")) + " / "
                    + f0(num(bcrypt, "cost4Threads2PerSecond")) + " /s", "", "");
        }
        List<Map<String, Object>> startup = (List<Map<String, Object>>) results.get("startupEmbedded");
        if (startup != null) {
            for (String kind : List.of("fresh", "warm")) {
                long worst = startup.stream().filter(r -> kind.equals(r.get("dataDir")))
                        .mapToLong(r -> ((Number) r.get("millis")).longValue()).max().orElse(-1);
                long best = startup.stream().filter(r -> kind.equals(r.get("dataDir")))
                        .mapToLong(r -> ((Number) r.get("millis")).longValue()).min().orElse(-1);
                row(md, "start-up, embedded default, " + kind + " data dir (best / worst)", best + " / " + worst + " ms",
                        "≤ 5 s", worst >= 0 && worst <= 5000 ? "met" : "**missed**");
            }
        }
        trainedStartup(md, results, "startupExtractedCds", "start-up, extracted jar + CDS archive, fresh data dir (best / worst)");
        trainedStartup(md, results, "startupExtractedAot",
                "start-up, extracted jar + JDK 25 AOT cache, fresh data dir (best / worst)");
        Map<String, Object> three = (Map<String, Object>) results.get("verifyThreeNodes");
        if (three != null) {
            row(md, "verify, three nodes round-robin", f0(num(three, "perSecond")) + " /s, p99 " + f2(num(three, "p99Millis")) + " ms",
                    "", large == null ? "" : String.format("%.2f× one node", num(three, "perSecond") / num(large, "perSecond")));
        }
        Map<String, Object> storm = (Map<String, Object>) results.get("replayStorm");
        if (storm != null) {
            boolean ok = storm.get("exactlyOneAccepted").equals(storm.get("tokens"));
            row(md, "replay storm: tokens with exactly one success", storm.get("exactlyOneAccepted") + " of " + storm.get("tokens")
                    + " (statuses " + storm.get("statuses") + ")", "all", ok ? "met" : "**missed**");
        }
        Map<String, Object> keycloak = (Map<String, Object>) results.get("keycloak");
        if (keycloak != null) {
            for (Map<String, Object> setting : (List<Map<String, Object>>) keycloak.getOrDefault("settings", List.of())) {
                boolean equal = String.valueOf(setting.get("setting")).startsWith("equal");
                double[] medians = KeycloakComparison.medians(setting);
                double target = equal ? 3.0 : 1.2;
                row(md, "full login, Kagi ÷ Keycloak, " + setting.get("setting") + " (median of pairs)",
                        String.format("%.2f×", medians[0]), "≥ " + target + "×", medians[0] >= target ? "met" : "**missed**");
                row(md, "CPU a login, server + PostgreSQL, Kagi ÷ Keycloak, " + setting.get("setting"),
                        String.format("%.2f×", 1 / medians[1]), "< 1×", 1 / medians[1] < 1 ? "met" : "**missed**");
            }
        }
        sessionStores(md, (Map<String, Object>) results.get("sessionStores"));
        if (keycloak != null) {
            md.append('\n').append(KeycloakComparison.markdown(keycloak));
        }
        md.append("\nEvery phase in full:\n\n```json\n").append(Json.write(results)).append("```\n");
        return md.toString();
    }

    /** The interleaved rounds of {@code --only=sessions}: one row a round, then the ratio of each pair. */
    @SuppressWarnings("unchecked")
    private static void sessionStores(StringBuilder md, Map<String, Object> comparison) {
        if (comparison == null) {
            return;
        }
        md.append("\nFull login at bcrypt cost ").append(comparison.get("bcryptCost")).append(", first jar `")
                .append(comparison.get("first")).append("`, second `").append(comparison.get("second"))
                .append("`, interleaved rounds:\n\n| round | jar | logins/s | p50 / p99 ms | CPU µs a login: node / PostgreSQL | node's JIT share"
                        + " | transactions a login | table scans a login (sessions) | rows written a login (sessions) |\n"
                        + "|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> round : (List<Map<String, Object>>) comparison.get("rounds")) {
            Map<String, Object> db = (Map<String, Object>) round.get("databasePerLogin");
            double written = num(db, "rowsInserted") + num(db, "rowsUpdated") + num(db, "rowsDeleted");
            double sessionWritten = num(db, "sessionRowsInserted") + num(db, "sessionRowsUpdated") + num(db, "sessionRowsDeleted");
            md.append("| ").append(round.get("round")).append(" | ").append(round.get("jar")).append(" | ")
                    .append(f1(num(round, "perSecond"))).append(" | ").append(f1(num(round, "p50Millis"))).append(" / ")
                    .append(f1(num(round, "p99Millis"))).append(" | ").append(f0(num(round, "serverCpuMicrosPerOp")))
                    .append(" / ").append(f0(num(round, "databaseCpuMicrosPerOp"))).append(" | ")
                    .append(f0(num(round, "serverCompilerPercent"))).append(" % | ")
                    .append(f1(num(db, "transactions"))).append(" | ").append(f1(num(db, "tableScans"))).append(" (")
                    .append(f1(num(db, "sessionTableScans"))).append(") | ").append(f1(written)).append(" (")
                    .append(f1(sessionWritten)).append(") |\n");
        }
        Map<String, Object> pairs = (Map<String, Object>) comparison.get("pairs");
        md.append("\nSecond ÷ first, pair by pair: ").append(pairs.get("secondOverFirst")).append(" (mean ")
                .append(f2(num(pairs, "mean"))).append(", from ").append(f2(num(pairs, "min"))).append(" to ")
                .append(f2(num(pairs, "max"))).append(").\n");
    }

    @SuppressWarnings("unchecked")
    private static void trainedStartup(StringBuilder md, Map<String, Object> results, String key, String label) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) results.get(key);
        if (runs != null && !runs.isEmpty()) {
            long worst = runs.stream().mapToLong(r -> ((Number) r.get("millis")).longValue()).max().orElse(-1);
            long best = runs.stream().mapToLong(r -> ((Number) r.get("millis")).longValue()).min().orElse(-1);
            row(md, label, best + " / " + worst + " ms", "≤ 5 s", worst <= 5000 ? "met" : "**missed**");
        }
    }

    private static void row(StringBuilder md, String figure, String measured, String target, String verdict) {
        md.append("| ").append(figure).append(" | ").append(measured).append(" | ").append(target).append(" | ")
                .append(verdict).append(" |\n");
    }

    private static double num(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String f0(double v) {
        return String.format("%,.0f", v);
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }
}
