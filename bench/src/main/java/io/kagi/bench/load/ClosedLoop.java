package io.kagi.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop load: {@code concurrency} threads, each doing one operation after another (so at
 * most that many are in flight), first for a warm-up that is not recorded, then measured until
 * the time or the count runs out, whichever comes first. Records each operation's latency, the
 * CPU the given processes and the whole machine spent, and a sample of resident memory.
 */
final class ClosedLoop {

    /** One virtual client: {@link #call} does one operation and says whether it succeeded. */
    interface Worker extends AutoCloseable {

        /** True when the operation succeeded; false (or an exception) counts as a failure. */
        boolean call() throws Exception;

        @Override
        default void close() {
        }
    }

    /** What a measured phase gave. */
    record Result(String label, int concurrency, long succeeded, long failed, double seconds, double perSecond,
                  double p50Millis, double p99Millis, double meanMillis, double maxMillis,
                  double serverCpuMicrosPerOp, double driverCpuMicrosPerOp, double databaseCpuMicrosPerOp,
                  double machineBusyPercent, double serverCompilerPercent,
                  long peakRssKiB, double loadAverage, List<String> failures) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("label", label);
            map.put("concurrency", concurrency);
            map.put("succeeded", succeeded);
            map.put("failed", failed);
            map.put("seconds", seconds);
            map.put("perSecond", perSecond);
            map.put("p50Millis", p50Millis);
            map.put("p99Millis", p99Millis);
            map.put("meanMillis", meanMillis);
            map.put("maxMillis", maxMillis);
            map.put("serverCpuMicrosPerOp", serverCpuMicrosPerOp);
            map.put("driverCpuMicrosPerOp", driverCpuMicrosPerOp);
            map.put("databaseCpuMicrosPerOp", databaseCpuMicrosPerOp);
            map.put("machineBusyPercent", machineBusyPercent);
            map.put("serverCompilerPercent", serverCompilerPercent);
            map.put("peakRssKiBDuringPhase", peakRssKiB);
            map.put("loadAverage1mAtEnd", loadAverage);
            map.put("firstFailures", failures);
            return map;
        }

        String line() {
            return String.format("%s: %.0f/s (%d ok, %d failed in %.1f s), p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
                            + "CPU µs/op: server %.0f (JIT %.0f%%), driver %.0f, PostgreSQL %.0f; machine %.0f%% busy, RSS peak %d MiB",
                    label, perSecond, succeeded, failed, seconds, p50Millis, p99Millis, maxMillis, serverCpuMicrosPerOp,
                    serverCompilerPercent, driverCpuMicrosPerOp, databaseCpuMicrosPerOp, machineBusyPercent, peakRssKiB / 1024);
        }
    }

    private ClosedLoop() {
    }

    static Result run(String label, int concurrency, IntFunction<Worker> workers, Duration warmup, Duration measure,
                      long maxOps, List<ServerNode> servers, BenchDatabase db) throws InterruptedException {
        long startNanos = System.nanoTime();
        long measureStart = startNanos + warmup.toNanos();
        long measureEnd = measureStart + measure.toNanos();
        AtomicLong recorded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Latencies[] latencies = new Latencies[concurrency];
        long[] lastEnd = new long[concurrency];
        CountDownLatch done = new CountDownLatch(concurrency);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int index = t;
            latencies[t] = new Latencies();
            Thread thread = new Thread(() -> {
                try (Worker worker = workers.apply(index)) {
                    while (true) {
                        long begin = System.nanoTime();
                        if (begin >= measureEnd) {
                            break;
                        }
                        boolean measured = begin >= measureStart;
                        if (measured && recorded.incrementAndGet() > maxOps) {
                            break;
                        }
                        boolean ok;
                        try {
                            ok = worker.call();
                            if (!ok && failures.size() < 5) {
                                failures.add("operation failed");
                            }
                        } catch (Exception e) {
                            ok = false;
                            if (failures.size() < 5) {
                                failures.add(e.toString());
                            }
                        }
                        long end = System.nanoTime();
                        if (measured) {
                            if (ok) {
                                latencies[index].add(end - begin);
                            } else {
                                failed.incrementAndGet();
                            }
                            lastEnd[index] = end;
                        }
                    }
                } catch (Exception e) {
                    failures.add("worker: " + e);
                } finally {
                    done.countDown();
                }
            }, label + "-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);

        // Wait for the warm-up to end, then sample CPU at the start and memory every half second.
        sleepUntil(measureStart);
        double[] serverCpuStart = servers.stream().mapToDouble(ServerNode::cpuSeconds).toArray();
        double[] compilerCpuStart = servers.stream().mapToDouble(ServerNode::compilerCpuSeconds).toArray();
        double driverCpuStart = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        List<Long> backends = db == null ? List.of() : db.backendPids();
        java.util.Map<Long, Double> databaseCpuStart = ProcStats.cpuSecondsEach(backends);
        double[] machineStart = ProcStats.machineCpuSeconds();
        long actualStart = System.nanoTime();
        long peakRss = 0;
        while (!done.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            for (ServerNode server : servers) {
                peakRss = Math.max(peakRss, server.rssKiB());
            }
        }
        long actualEnd = actualStart;
        for (long end : lastEnd) {
            actualEnd = Math.max(actualEnd, end);
        }
        double serverCpu = 0;
        double compilerCpu = 0;
        for (int i = 0; i < servers.size(); i++) {
            serverCpu += servers.get(i).cpuSeconds() - serverCpuStart[i];
            compilerCpu += servers.get(i).compilerCpuSeconds() - compilerCpuStart[i];
            peakRss = Math.max(peakRss, servers.get(i).rssKiB());
        }
        double driverCpu = ProcStats.cpuSeconds(ProcessHandle.current().pid()) - driverCpuStart;
        double databaseCpu = ProcStats.cpuSecondsSince(databaseCpuStart);
        // Backends that a pool opened during the round (Keycloak's grows on demand): all they spent was spent in it.
        for (long pid : db == null ? List.<Long>of() : db.backendPids()) {
            if (!databaseCpuStart.containsKey(pid)) {
                databaseCpu += Math.max(0, ProcStats.cpuSeconds(pid));
            }
        }
        double[] machineEnd = ProcStats.machineCpuSeconds();

        Latencies all = new Latencies();
        for (Latencies l : latencies) {
            all.addAll(l);
        }
        long ok = all.count();
        long ops = ok + failed.get();
        double seconds = (actualEnd - actualStart) / 1e9;
        double busy = 100.0 * (machineEnd[0] - machineStart[0]) / Math.max(1e-9, machineEnd[1] - machineStart[1]);
        Result result = new Result(label, concurrency, ok, failed.get(), seconds, ok / seconds,
                all.percentileMillis(50), all.percentileMillis(99), all.meanMillis(), all.percentileMillis(100),
                servers.isEmpty() ? Double.NaN : serverCpu * 1e6 / Math.max(1, ops), driverCpu * 1e6 / Math.max(1, ops),
                db == null ? Double.NaN : databaseCpu * 1e6 / Math.max(1, ops), busy,
                servers.isEmpty() ? Double.NaN : 100.0 * compilerCpu / Math.max(1e-9, serverCpu), peakRss, ProcStats.loadAverage(), List.copyOf(failures));
        System.out.println("  " + result.line());
        return result;
    }

    /**
     * Warms the servers up until they are steady: windows of {@link #WARM_WINDOW} (nothing
     * recorded) until at least {@code min} has passed, the last two windows' rates are within 5% of
     * each other and the JIT compiler threads took at most {@link #QUIET_COMPILER_PERCENT} of the
     * servers' CPU in the last window; or until {@code max} has passed. On two shared cores C2 needs
     * tens of thousands of requests before it has compiled a request path (a login's code runs
     * once per login, so longer still), and a rate can hold still for two windows while the
     * compiler still takes a third of the CPU. Returns the seconds spent.
     */
    static double warmUntilSteady(String label, int concurrency, IntFunction<Worker> workers, Duration min, Duration max,
                                  List<ServerNode> servers, BenchDatabase db) throws InterruptedException {
        long start = System.nanoTime();
        double previous = -1;
        while (true) {
            Result window = run(label, concurrency, workers, Duration.ZERO, WARM_WINDOW, Long.MAX_VALUE, servers, db);
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean settled = previous > 0 && Math.abs(window.perSecond() - previous) <= 0.05 * previous
                    && !(window.serverCompilerPercent() > QUIET_COMPILER_PERCENT);
            if ((elapsed >= min.toSeconds() && settled) || elapsed >= max.toSeconds()) {
                System.out.printf("  %s: %s after %.0f s at %.0f/s%n", label, settled ? "settled" : "stopped (time bound)",
                        elapsed, window.perSecond());
                return elapsed;
            }
            previous = window.perSecond();
        }
    }

    /** The JIT's share of the servers' CPU below which the compiled code is taken as settled. */
    static final double QUIET_COMPILER_PERCENT = 5;

    static final Duration WARM_WINDOW = Duration.ofSeconds(5);

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
