package io.kagi.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The database's own limit for the verify path's write: pgbench running the authority's accepting
 * UPDATE (the same single-row conditional statement, a random token per transaction) on the same
 * table, with per-transaction logs for p50/p99.
 */
final class Pgbench {

    /** The statement of {@code Tokens.verify} that accepts a code, with pgbench variables. */
    static final String SCRIPT = """
            \\set id random(:first_id, :last_id)
            \\set step random(1000000000000, 2000000000000)
            UPDATE authority_token SET last_accepted_step = :step, consecutive_failures = 0, last_used_at = now() WHERE id = :id AND state = 'ACTIVE' AND (last_accepted_step IS NULL OR last_accepted_step < :step);
            """;

    record Result(double tps, long transactions, double p50Millis, double p99Millis, double meanMillis, int clients,
                  int seconds, double databaseCpuMicrosPerTx, double pgbenchCpuMicrosPerTx, double loadAverage,
                  String summary) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("tps", tps);
            map.put("transactions", transactions);
            map.put("p50Millis", p50Millis);
            map.put("p99Millis", p99Millis);
            map.put("meanMillis", meanMillis);
            map.put("clients", clients);
            map.put("seconds", seconds);
            map.put("databaseCpuMicrosPerTx", databaseCpuMicrosPerTx);
            map.put("pgbenchCpuMicrosPerTx", pgbenchCpuMicrosPerTx);
            map.put("loadAverage1mAtEnd", loadAverage);
            return map;
        }
    }

    private Pgbench() {
    }

    static Result run(BenchDatabase db, long firstId, long lastId, int clients, int seconds, Path workDir)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("verify-update.sql");
        Files.writeString(script, SCRIPT);
        Path logs = Files.createDirectories(workDir.resolve("pgbench-log"));
        List<String> command = List.of("pgbench", "-n", "-c", Integer.toString(clients), "-j", "2",
                "-T", Integer.toString(seconds), "-f", script.toString(),
                "-D", "first_id=" + firstId, "-D", "last_id=" + lastId,
                "-l", "--log-prefix=" + logs.resolve("tx"),
                "-h", db.host(), "-p", Integer.toString(db.port()), "-U", db.user(), db.name());
        Path outputFile = workDir.resolve("pgbench.out");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(outputFile.toFile()).start();
        // CPU of pgbench and of its backends over the middle of the run, per transaction.
        Thread.sleep(1500);
        List<Long> backends = db.backendPids();
        double cpuStart = ProcStats.cpuSeconds(backends);
        double pgbenchCpuStart = ProcStats.cpuSeconds(process.pid());
        long windowStart = System.nanoTime();
        Thread.sleep(Math.max(500, seconds * 1000L - 2500));
        double databaseCpu = ProcStats.cpuSeconds(backends) - cpuStart;
        double pgbenchCpu = ProcStats.cpuSeconds(process.pid()) - pgbenchCpuStart;
        double window = (System.nanoTime() - windowStart) / 1e9;
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + Files.readString(outputFile));
        }
        String output = Files.readString(outputFile);
        Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
        Matcher count = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(output);
        if (!tps.find() || !count.find()) {
            throw new IllegalStateException("Unexpected pgbench output:\n" + output);
        }
        Latencies latencies = new Latencies();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                try (Stream<String> lines = Files.lines(file)) {
                    lines.forEach(line -> {
                        String[] fields = line.split(" ");
                        if (fields.length >= 3) {
                            latencies.add(Long.parseLong(fields[2]) * 1000L);
                        }
                    });
                }
                Files.delete(file);
            }
        }
        double rate = Double.parseDouble(tps.group(1));
        Result result = new Result(rate, Long.parseLong(count.group(1)),
                latencies.percentileMillis(50), latencies.percentileMillis(99), latencies.meanMillis(), clients, seconds,
                databaseCpu * 1e6 / (rate * window), pgbenchCpu * 1e6 / (rate * window), ProcStats.loadAverage(),
                summary(output));
        System.out.printf("  pgbench: %.0f tps, p50 %.2f ms, p99 %.2f ms (%d clients, %d s); CPU µs/tx: PostgreSQL %.0f, pgbench %.0f%n",
                result.tps(), result.p50Millis(), result.p99Millis(), clients, seconds, result.databaseCpuMicrosPerTx(),
                result.pgbenchCpuMicrosPerTx());
        return result;
    }

    private static String summary(String output) {
        List<String> kept = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("latency") || line.startsWith("tps") || line.startsWith("number of")) {
                kept.add(line.trim());
            }
        }
        return String.join("; ", kept);
    }
}
