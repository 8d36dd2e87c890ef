package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.kagi.otp.Base32;
import io.kagi.test.TestSecrets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No secrets in logs: run by failsafe after every other test (surefire's two runs and the launch
 * tests), it reads every secret the tests registered ({@link TestSecrets}: seeds, codes,
 * activation and login passwords, API secrets) and everything the test JVMs and the launched
 * servers printed, and fails on any secret found.
 *
 * <p>A seed is looked for as lower- and upper-case hex and as Base32; a secret of 9 or more
 * characters as a word anywhere; a short numeric secret (a code, a 4–8 digit password) only where
 * its line also names a code or password, since 6-digit numbers occur in logs by chance.
 */
class CapturedLogsSecretScanTests {

    private static final String PHRASE = "\u0000";
    private static final Pattern WORD = Pattern.compile("[^A-Za-z0-9]+");
    /**
     * A line that names a code or password. {@code factor=otp} in an audit row names the factor used,
     * not a code, and SRP's {@code M1} is a word of its own in capitals (a login ID such as
     * {@code c3xm1} is no proof): the audit row of a payee, logged by a test's injected database
     * failure, carries the bank code 0001, which is also an activation password a test registers.
     */
    private static final Pattern NAMES_A_SECRET = Pattern.compile(
            "(?i)code|(?<!factor=)otp|password|passwort|passcode|pin\\b|secret|seed|パスワード|(?-i:\\bM1\\b)");

    @Test
    void noRegisteredSecretAppearsInAnyCapturedOutput() throws IOException {
        Map<String, String> secrets = secrets();
        List<Path> logs = logs();
        Assumptions.assumeTrue(!secrets.isEmpty() && !logs.isEmpty(),
                "no captured run to scan (run the whole build: ./mvnw verify)");
        long[] lines = new long[1];
        List<String> findings = scan(secrets, logs, lines);
        System.out.printf(Locale.ROOT, "Scanned %d lines in %d captured logs for %d registered secrets (and their encodings)%n",
                lines[0], logs.size(), secrets.size());

        assertThat(findings).as("secrets found in the captured output").isEmpty();
    }

    @Test
    void theScanFindsASeedAndACodeNamedInALine(@org.junit.jupiter.api.io.TempDir Path folder) throws IOException {
        String seed = "00112233445566778899aabbccddeeff00112233";
        Path log = Files.writeString(folder.resolve("output-1.log"), "started\nseed " + seed.toUpperCase(Locale.ROOT)
                + " loaded\nport 123456 open\nverify code=123456 refused\n");
        Map<String, String> secrets = new HashMap<>();
        secrets.put(seed.toUpperCase(Locale.ROOT), "seed (HEX)");
        secrets.put("123456", "code or activation password");

        assertThat(scan(secrets, List.of(log), new long[1])).hasSize(2)
                .anySatisfy(finding -> assertThat(finding).contains(":2 seed"))
                .anySatisfy(finding -> assertThat(finding).contains(":4 code"));
    }

    private static List<String> scan(Map<String, String> secrets, List<Path> logs, long[] lines) throws IOException {
        List<String> findings = new ArrayList<>();
        for (Path log : logs) {
            try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(log),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)))) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    lines[0]++;
                    for (Map.Entry<String, String> phrase : secrets.entrySet()) {
                        if (phrase.getKey().startsWith(PHRASE) && line.contains(phrase.getKey().substring(PHRASE.length()))) {
                            findings.add(log.getFileName() + ":" + number + " " + phrase.getValue() + ": " + abbreviate(line));
                        }
                    }
                    for (String word : WORD.split(line)) {
                        String kind = secrets.get(word);
                        if (kind == null) {
                            continue;
                        }
                        boolean shortNumber = word.length() <= 8 && word.chars().allMatch(Character::isDigit);
                        if (!shortNumber || NAMES_A_SECRET.matcher(line).find()) {
                            findings.add(log.getFileName() + ":" + number + " " + kind + " "
                                    + word.substring(0, 2) + "…: " + abbreviate(line));
                        }
                    }
                }
            }
        }
        return findings;
    }

    /** Every registered secret and its encodings, each mapped to what it is. */
    private static Map<String, String> secrets() throws IOException {
        Map<String, String> secrets = new HashMap<>();
        if (!Files.isDirectory(TestSecrets.FOLDER)) {
            return secrets;
        }
        try (Stream<Path> files = Files.list(TestSecrets.FOLDER)) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("secrets-")).toList()) {
                for (String secret : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (secret.isBlank()) {
                        continue;
                    }
                    if (secret.length() >= 32 && secret.matches("[0-9a-f]+") && secret.length() % 2 == 0) {
                        byte[] bytes = HexFormat.of().parseHex(secret);
                        secrets.put(secret, "seed (hex)");
                        secrets.put(secret.toUpperCase(Locale.ROOT), "seed (HEX)");
                        secrets.put(Base32.encodeWithoutPadding(bytes), "seed (Base32)");
                    } else if (secret.chars().allMatch(Character::isDigit) && secret.length() <= 8) {
                        secrets.put(secret, "code or activation password");
                    } else if (secret.matches("[A-Za-z0-9]+")) {
                        secrets.put(secret, "password or API secret");
                    } else {
                        secrets.put(PHRASE + secret, "password with symbols");
                        for (String part : WORD.split(secret)) {
                            if (part.length() >= 9) {
                                secrets.put(part, "password or API secret");
                            }
                        }
                    }
                }
            }
        }
        return secrets;
    }

    private static List<Path> logs() throws IOException {
        List<Path> logs = new ArrayList<>();
        String own = "output-" + ProcessHandle.current().pid() + ".log";
        for (Path folder : List.of(TestSecrets.FOLDER, Paths.get("target", "launch-logs"))) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.filter(path -> path.getFileName().toString().endsWith(".log"))
                            .filter(path -> !path.getFileName().toString().equals(own))
                            .forEach(logs::add);
                }
            }
        }
        return logs;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
