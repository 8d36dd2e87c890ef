package io.kagi.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures from Linux's /proc: a process's resident memory and CPU time, the machine's load and CPU busy time. */
final class ProcStats {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** A field of /proc/&lt;pid&gt;/status in KiB (e.g. VmRSS, VmHWM), or -1. */
    static long statusKiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU seconds of a process so far, or -1. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * User + system CPU seconds so far of a JVM's JIT compiler threads (HotSpot names them
     * "C1 CompilerThread…" and "C2 CompilerThread…"), or -1: while they are busy, the request
     * path is still being compiled and a measured rate is not yet the steady one.
     */
    static double compilerCpuSeconds(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            long ticks = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User + system CPU seconds of several processes (those that exited in between count as 0). */
    static double cpuSeconds(java.util.List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, cpuSeconds(pid));
        }
        return sum;
    }

    /** CPU seconds so far of each of these processes (those already gone are left out). */
    static java.util.Map<Long, Double> cpuSecondsEach(java.util.List<Long> pids) {
        java.util.Map<Long, Double> each = new java.util.HashMap<>();
        for (long pid : pids) {
            double seconds = cpuSeconds(pid);
            if (seconds >= 0) {
                each.put(pid, seconds);
            }
        }
        return each;
    }

    /**
     * CPU seconds these processes spent since {@code start} ({@link #cpuSecondsEach}); a process that
     * ended meanwhile (an autovacuum worker, a closed connection) counts nothing rather than minus
     * what it had spent before.
     */
    static double cpuSecondsSince(java.util.Map<Long, Double> start) {
        double sum = 0;
        for (java.util.Map.Entry<Long, Double> entry : start.entrySet()) {
            double now = cpuSeconds(entry.getKey());
            if (now >= entry.getValue()) {
                sum += now - entry.getValue();
            }
        }
        return sum;
    }

    /** Busy and total CPU seconds of the whole machine so far (all cores), from /proc/stat. */
    static double[] machineCpuSeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1};
        }
    }

    /** The 1-minute load average. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
