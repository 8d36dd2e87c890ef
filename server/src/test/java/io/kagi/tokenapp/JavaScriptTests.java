package io.kagi.tokenapp;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the token app's JavaScript tests ({@code src/test/js/*.test.js}: the activation protocol's
 * published vectors, RFC 6238 codes, texts) with Node's built-in test runner, so that
 * {@code ./mvnw verify} runs them; their output goes to the build log. Node 18 (Debian 12's
 * {@code nodejs}) or newer is taken from {@code KAGI_NODE} or the {@code PATH}; where there is none
 * the test is skipped with a notice, except under {@code CI=true}, where that fails. The files are
 * ES modules ({@code src/package.json} says so to Node) and use the Web Crypto API as a browser has
 * it, {@code globalThis.crypto}, which Node 18 offers only behind a flag.
 */
class JavaScriptTests {

    private static final Path TESTS = Paths.get("src", "test", "js");

    @Test
    void theAppsJavaScriptTestsPassUnderNode() throws Exception {
        Optional<Path> node = node();
        if (node.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true and Node.js is not installed (apt-get install -y nodejs)");
            }
            System.out.println("NOTICE: skipping the token app's JavaScript tests: Node.js (node) is not on the PATH");
            assumeTrue(false, "Node.js is not installed");
        }
        List<String> files;
        try (var paths = Files.list(TESTS)) {
            files = paths.map(Path::toString).filter(name -> name.endsWith(".test.js")).sorted().toList();
        }
        assertThat(files).as("JavaScript test files under %s", TESTS.toAbsolutePath()).isNotEmpty();

        int major = majorVersion(node.get());
        assertThat(major).as("Node.js major version at %s (18 or newer)", node.get()).isGreaterThanOrEqualTo(18);
        List<String> command = new ArrayList<>(List.of(node.get().toString()));
        if (major == 18) {
            command.add("--experimental-global-webcrypto");
        }
        command.addAll(List.of("--test", "--test-reporter=spec"));
        command.addAll(files);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("[node --test] " + line);
                output.add(line);
            }
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("node --test finished").isTrue();
        assertThat(process.exitValue()).as("node --test exit status; its output:%n%s", String.join("\n", output)).isZero();
        assertThat(output).as("node ran the tests").anyMatch(line -> line.matches(".*\\bpass(ed)? \\d+.*|.*ℹ pass \\d+.*"));
    }

    /** The major version {@code node --version} prints ({@code v18.20.4} → 18). */
    private static int majorVersion(Path node) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("node --version finished").isTrue();
        assertThat(version).as("node --version").matches("v\\d+\\..*");
        return Integer.parseInt(version.substring(1, version.indexOf('.')));
    }

    private static Optional<Path> node() throws IOException {
        String configured = System.getenv("KAGI_NODE");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured));
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String directory : path.split(File.pathSeparator)) {
            for (String name : List.of("node", "node.exe")) {
                Path candidate = Paths.get(directory, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
