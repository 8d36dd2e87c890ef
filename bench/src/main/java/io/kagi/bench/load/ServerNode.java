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
    /** The JVM whose CPU and memory are read: the process itself, or the java process a launcher script started. */
    private final long jvmPid;
    private final int port;
    private final long startupMillis;
    private final Path log;

    private ServerNode(Process process, long jvmPid, int port, long startupMillis, Path log) {
        this.process = process;
        this.jvmPid = jvmPid;
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
        return startCommand(command, env, workDir, port, "/bizweb/login", log, timeoutSeconds);
    }

    /**
     * Starts {@code command} in {@code workDir} (e.g. Keycloak's {@code kc.sh start}, which runs
     * java as its child) and waits until {@code GET readyPath} on {@code port} answers 200. CPU and
     * memory are then read from the java process: the command itself, or its java descendant.
     */
    static ServerNode startCommand(List<String> command, Map<String, String> env, Path workDir, int port, String readyPath,
                                   Path log, int timeoutSeconds) throws IOException, InterruptedException {
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
                    MiniHttp.Response response = http.exchange("GET", readyPath, List.of("Connection: close"), null);
                    if (response.status() == 200) {
                        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                        return new ServerNode(process, jvmOf(process), port, millis, log);
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

    /** The process itself when it is java, else its first java descendant (a launcher script's child). */
    private static long jvmOf(Process process) {
        if (isJava(process.toHandle())) {
            return process.pid();
        }
        return process.descendants().filter(ServerNode::isJava).mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
    }

    int port() {
        return port;
    }

    long pid() {
        return jvmPid;
    }

    long startupMillis() {
        return startupMillis;
    }

    Path log() {
        return log;
    }

    long rssKiB() {
        return ProcStats.statusKiB(jvmPid, "VmRSS");
    }

    long peakRssKiB() {
        return ProcStats.statusKiB(jvmPid, "VmHWM");
    }

    double cpuSeconds() {
        return ProcStats.cpuSeconds(jvmPid);
    }

    /** CPU seconds of the node's JIT compiler threads so far (see {@link ProcStats#compilerCpuSeconds}). */
    double compilerCpuSeconds() {
        return ProcStats.compilerCpuSeconds(jvmPid);
    }

    @Override
    public void close() {
        ProcessHandle.of(jvmPid).filter(jvm -> jvm.pid() != process.pid()).ifPresent(ProcessHandle::destroy);
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
