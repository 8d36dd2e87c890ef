package io.kagi.bench.load;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server process ({@code java -jar kagi-server.jar}) on loopback, its output in a log file;
 * started and timed until its login page answers, then asked for its memory and CPU time.
 */
final class ServerNode implements Closeable {

    private final Process process;
    private final int port;
    private final long startupMillis;
    private final Path log;

    private ServerNode(Process process, int port, long startupMillis, Path log) {
        this.process = process;
        this.port = port;
        this.startupMillis = startupMillis;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmOptions> -jar jar <args>} in {@code workDir} with {@code env} added to
     * this process's environment, and waits (up to {@code timeoutSeconds}) until
     * {@code GET /bizweb/login} on {@code port} answers 200.
     */
    static ServerNode start(String java, Path jar, List<String> jvmOptions, Map<String, String> env, List<String> args,
                            Path workDir, int port, Path log, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (MiniHttp http = new MiniHttp("127.0.0.1", port)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The server exited with " + process.exitValue() + " during start-up; see " + log);
                }
                try {
                    MiniHttp.Response response = http.exchange("GET", "/bizweb/login", List.of("Connection: close"), null);
                    if (response.status() == 200) {
                        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        return new ServerNode(process, port, millis, log);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                http.close();
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("The server did not answer within " + timeoutSeconds + " s; see " + log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    long startupMillis() {
        return startupMillis;
    }

    Path log() {
        return log;
    }

    long rssKiB() {
        return ProcStats.statusKiB(process.pid(), "VmRSS");
    }

    long peakRssKiB() {
        return ProcStats.statusKiB(process.pid(), "VmHWM");
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(process.pid());
    }

    /** CPU seconds of the node's JIT compiler threads so far (see {@link ProcStats#compilerCpuSeconds}). */
    double compilerCpuSeconds() {
        return ProcStats.compilerCpuSeconds(process.pid());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
