package io.kagi.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The secrets the tests use (seeds, codes, activation and login passwords, API secrets) and
 * everything the test JVMs print, for {@code CapturedLogsSecretScanTests}, which failsafe runs
 * after all other tests and which fails when a registered secret shows up in any captured output.
 *
 * <p>As a JUnit {@link LauncherSessionListener} (registered in {@code META-INF/services}) it copies
 * {@code System.out} and {@code System.err} of the whole run, application logs included, to
 * {@code target/test-logs/output-<pid>.log}; {@link #register} appends a secret to
 * {@code target/test-logs/secrets-<pid>.txt}.
 */
public final class TestSecrets implements LauncherSessionListener {

    public static final Path FOLDER = Paths.get("target", "test-logs");
    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();
    private static volatile boolean capturing;

    /** Registers a secret a test uses (ignored when shorter than 4 characters). */
    public static void register(String secret) {
        if (secret == null || secret.length() < 4 || !REGISTERED.add(secret)) {
            return;
        }
        append("secrets-" + ProcessHandle.current().pid() + ".txt", secret + "\n");
    }

    /** Registers secret bytes (a seed) by their hexadecimal form. */
    public static void register(byte[] secret) {
        register(HexFormat.of().formatHex(secret));
    }

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        if (capturing) {
            return;
        }
        capturing = true;
        try {
            Files.createDirectories(FOLDER);
            OutputStream file = Files.newOutputStream(FOLDER.resolve("output-" + ProcessHandle.current().pid() + ".log"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.setOut(new PrintStream(new Tee(System.out, file), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(System.err, file), true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void append(String name, String text) {
        try {
            Files.createDirectories(FOLDER);
            Files.writeString(FOLDER.resolve(name), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Tee extends OutputStream {

        private final OutputStream console;
        private final OutputStream file;

        Tee(OutputStream console, OutputStream file) {
            this.console = console;
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            console.write(b);
            synchronized (file) {
                file.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            console.write(bytes, offset, length);
            synchronized (file) {
                file.write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            console.flush();
            synchronized (file) {
                file.flush();
            }
        }
    }
}
