package io.kagi.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of this test alone: {@code initdb} into a folder under
 * {@code target/}, started with {@code pg_ctl} on a free loopback port, stopped with
 * {@code pg_ctl stop -m immediate} (like a crash) and started again. Never the shared server.
 *
 * <p>Runs the PostgreSQL programs as the {@code postgres} OS user when the tests run as root
 * (initdb refuses root). The programs are looked up in {@code KAGI_PG_BINDIR} or
 * {@code /usr/lib/postgresql/<version>/bin}.
 */
final class PrivatePostgres implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 90;

    private final Path bin;
    private final Path data;
    private final Path socketDir;
    private final Path log;
    private final int port;

    private PrivatePostgres(Path bin, Path data, Path socketDir, int port) {
        this.bin = bin;
        this.data = data;
        this.socketDir = socketDir;
        this.log = data.resolveSibling(data.getFileName() + ".log");
        this.port = port;
    }

    /** The folder holding {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed. */
    static Optional<Path> binaries() {
        String configured = System.getenv("KAGI_PG_BINDIR");
        if (configured != null) {
            return Optional.of(Paths.get(configured)).filter(PrivatePostgres::hasPrograms);
        }
        Path versions = Paths.get("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> list = Files.list(versions)) {
            return list.map(version -> version.resolve("bin")).filter(PrivatePostgres::hasPrograms)
                    .max(Comparator.comparing(path -> path.getParent().getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasPrograms(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    /** Creates and starts a fresh cluster. */
    static PrivatePostgres start(Path bin) throws IOException, InterruptedException {
        Path root = Paths.get("target", "private-postgres").toAbsolutePath();
        Files.createDirectories(root);
        String name = UUID.randomUUID().toString().substring(0, 8);
        Path data = root.resolve("cluster-" + name);
        Path socketDir = Files.createTempDirectory("kagi-pg-");
        PrivatePostgres postgres = new PrivatePostgres(bin, data, socketDir, freePort());
        if (runsAsRoot()) {
            Files.createDirectories(data);
            run(List.of("chown", "postgres", data.toString(), socketDir.toString(), root.toString()));
        }
        postgres.pg(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"));
        postgres.startAgain();
        return postgres;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** Stops the server at once, as a crash would: open transactions are lost. */
    void crash() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
    }

    void startAgain() throws IOException, InterruptedException {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + socketDir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
        } catch (IllegalStateException alreadyStopped) {
            // nothing to stop
        }
        deleteTree(data);
        deleteTree(socketDir);
        Files.deleteIfExists(log);
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (runsAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Timed out: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command.get(command.size() - 1) + " failed (" + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
