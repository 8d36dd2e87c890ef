package io.kagi.tokencli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import io.kagi.activation.TokenParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that need no server, run in-process as a script would run them. */
class KagiTokenTests {

    private static final byte[] SEED = HexFormat.of().parseHex("c518bd0722a9673fda57cd5ad2ba4e7f0904b67e61a45b42d9d8b39cf42531db");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T09:30:15Z"), ZoneOffset.UTC);

    @TempDir
    Path config;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(Map<String, String> environment, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new KagiToken(environment,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null, CLOCK).commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Map<String, String> environment() {
        return Map.of("XDG_CONFIG_HOME", config.toString(), "KAGI_TOKEN_PASSPHRASE", "correct horse");
    }

    private Path storeWith(String... serviceIds) throws IOException {
        Path file = config.resolve("kagi").resolve("tokens.json");
        TokenStore store = TokenStore.create(file, "correct horse".toCharArray(), 100_000);
        for (String serviceId : serviceIds) {
            store.add(new StoredToken(serviceId, "012345", "Service " + serviceId, TokenParameters.defaults(), SEED, 0, CLOCK.instant()));
        }
        store.save();
        return file;
    }

    @Test
    void printsTheCodeOfTheOnlyToken() throws IOException {
        storeWith("12345678");

        Run run = run(environment(), "", "code");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo("518225");
    }

    @Test
    void printsTheCodeOfTheNamedServiceOrEveryCodeWithItsService() throws IOException {
        storeWith("12345678", "87654321");

        assertThat(run(environment(), "", "code", "--service-id", "87654321").out().strip()).isEqualTo("518225");
        assertThat(run(environment(), "", "code").out()).contains("12345678 518225").contains("87654321 518225");
        Run unknown = run(environment(), "", "code", "--service-id", "11111111");
        assertThat(unknown.exitCode()).isEqualTo(KagiToken.FAILED);
        assertThat(unknown.err()).contains("no token of service 11111111");
    }

    @Test
    void signsTheTypedAccountNumberAndAmountWithThePublishedConstruction() throws IOException {
        storeWith("12345678");
        String expected = io.kagi.activation.TransactionSignature.response(SEED, "SHA256",
                io.kagi.activation.TransactionSignature.question("kagi-offline-1\naccount:7654321\namount:150000"),
                CLOCK.instant());

        Run run = run(environment(), "", "sign", "--account", "7654321", "--amount", "150,000円");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).matches("[0-9]{8}").isEqualTo(expected);
        assertThat(run(environment(), "", "sign", "--account", "7654321", "--amount", "15000").out().strip())
                .as("another amount, another code").isNotEqualTo(expected);
        assertThat(run(environment(), "", "sign", "--account", "7654321").out().strip())
                .as("a payee registration: the account number alone").matches("[0-9]{8}").isNotEqualTo(expected);
        Run malformed = run(environment(), "", "sign", "--account", "76-54321");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("--account and --amount are digits");
    }

    @Test
    void listsTheTokens() throws IOException {
        storeWith("12345678", "87654321");

        Run run = run(environment(), "", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("12345678\\s+012345\\s+SHA256:6:60").contains("Service 87654321")
                .doesNotContain("c518bd07");
    }

    @Test
    void refusesAWrongPassphrase() throws IOException {
        storeWith("12345678");

        Run run = run(Map.of("XDG_CONFIG_HOME", config.toString(), "KAGI_TOKEN_PASSPHRASE", "wrong"), "", "code");

        assertThat(run.exitCode()).isEqualTo(KagiToken.FAILED);
        assertThat(run.err()).contains("passphrase is wrong");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void refusesASecondTokenOfAServiceBeforeAskingTheServer() throws IOException {
        storeWith("12345678");

        // Nothing listens on port 9: the refusal must come before any connection.
        Run run = run(environment(), "1234\n", "activate", "--server", "http://127.0.0.1:9", "--service-id", "12345678",
                "--user-id", "012345", "--password-stdin");

        assertThat(run.exitCode()).isEqualTo(KagiToken.FAILED);
        assertThat(run.err()).contains("a token of service 12345678 is already here");
    }

    @Test
    void saysSoWhenTheServerCannotBeReached() throws IOException {
        Run run = run(environment(), "1234\n", "activate", "--server", "http://127.0.0.1:9", "--service-id", "12345678",
                "--user-id", "012345", "--password-stdin");

        assertThat(run.exitCode()).isEqualTo(KagiToken.FAILED);
        assertThat(run.err()).contains("cannot reach the server");
    }

    @Test
    void removesATokenWhenConfirmedWithYes() throws IOException {
        Path file = storeWith("12345678", "87654321");

        Run withoutYes = run(environment(), "", "remove", "--service-id", "12345678");
        assertThat(withoutYes.exitCode()).isEqualTo(KagiToken.FAILED);
        assertThat(TokenStore.open(file, "correct horse".toCharArray()).tokens()).hasSize(2);

        Run run = run(environment(), "", "remove", "--service-id", "12345678", "--yes");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Removed the token of Service 12345678");
        assertThat(TokenStore.open(file, "correct horse".toCharArray()).tokens())
                .extracting(StoredToken::serviceId).containsExactly("87654321");
    }

    @Test
    void refusesIdsThatAreNotDigitsOfTheRightLength() {
        Run run = run(environment(), "1234\n", "activate", "--server", "http://127.0.0.1:9", "--service-id", "1234567",
                "--user-id", "012345", "--password-stdin");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("8 digits");
        assertThat(Files.exists(config.resolve("kagi").resolve("tokens.json"))).isFalse();
    }

    @Test
    void saysSoWhenNoPassphraseCanBeAsked() throws IOException {
        storeWith("12345678");

        Run run = run(Map.of("XDG_CONFIG_HOME", config.toString()), "", "code");

        assertThat(run.exitCode()).isEqualTo(KagiToken.FAILED);
        assertThat(run.err()).contains("KAGI_TOKEN_PASSPHRASE");
    }
}
