package io.kagi.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the packaged server jar as a user would, on embedded defaults in an empty folder, once
 * on the JDK running the build and once on the Temurin 25 JDK beside it, and checks that it
 * answers within 60 seconds with the login and mailbox pages. Run by failsafe after packaging.
 */
class ServerLaunchTests {

    private static final Path JAR = Paths.get("target", "kagi-server.jar").toAbsolutePath();
    private static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Stream<String> javaExecutables() {
        List<String> executables = new ArrayList<>();
        executables.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (Files.isExecutable(TEMURIN_25)) {
            executables.add(TEMURIN_25.toString());
        } else {
            System.out.println("NOTICE: no Temurin 25 JDK at " + TEMURIN_25 + "; the jar is launched on the build's JDK only");
        }
        return executables.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaExecutables")
    void answersWithTheLoginAndMailboxPagesWithinAMinute(String java, @TempDir Path folder) throws Exception {
        Assumptions.assumeTrue(Files.exists(JAR), "the jar is built by the package phase");
        int port = freePort();
        int managementPort = freePort();
        Process server = new ProcessBuilder(java, "-jar", JAR.toString(),
                "--server.port=" + port, "--management.server.port=" + managementPort, "--kagi.app.port=0",
                "--kagi.certificates.https-port=0")
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> drain(server, output), "server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Instant started = Instant.now();
            HttpResponse<String> login = awaitAnswer("http://localhost:" + port + "/bizweb/login", started);
            Duration startup = Duration.between(started, Instant.now());
            System.out.printf("%s answered after %d ms%n", java, startup.toMillis());

            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("BLGI001");
            HttpResponse<String> mailbox = get("http://localhost:" + port + "/mailbox");
            assertThat(mailbox.statusCode()).isEqualTo(200);
            assertThat(mailbox.body()).contains("MBOX001");
            awaitLine(output, "仮ログインパスワード");
            assertThat(folder.resolve("data").resolve("kagi-keys.properties")).exists();
            assertThat(String.join("\n", output)).contains("Generated a local key-encryption key");
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            reader.join(2000);
        }
    }

    private HttpResponse<String> awaitAnswer(String url, Instant started) throws InterruptedException {
        while (Duration.between(started, Instant.now()).compareTo(STARTUP_LIMIT) < 0) {
            try {
                return get(url);
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("The server did not answer " + url + " within " + STARTUP_LIMIT.toSeconds() + " s");
    }

    private static void awaitLine(List<String> output, String text) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (output.stream().anyMatch(line -> line.contains(text))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The start-up report never printed '" + text + "'");
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void drain(Process process, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
