package io.kagi.tokenapp;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;
import io.kagi.authority.Tokens;
import io.kagi.authority.VerificationResult;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.tokencli.KagiToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** The command-line token activates against the running server, and its code logs in. */
@KagiIntegrationTest
class CommandLineTokenIntegrationTests {

    static final ServiceId SERVICE = new ServiceId("31000003");
    static final ClientInfo PORTAL = new ClientInfo("test:token-cli", "192.0.2.21");

    @LocalServerPort
    int port;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @TempDir
    Path config;

    @BeforeEach
    void registerService() {
        services.ensureRegistered(SERVICE, "かぎ銀行ビジネスWeb（CLI）");
    }

    record Run(int exitCode, String out, String err) {
    }

    Run kagiToken(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> environment = Map.of("XDG_CONFIG_HOME", config.toString(), "KAGI_TOKEN_PASSPHRASE", "a long passphrase");
        CommandLine commandLine = new KagiToken(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                null, Clock.systemUTC()).commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), out.toString(), err.toString());
    }

    @Test
    void theCommandLineTokenActivatesAgainstARunningServerAndItsCodeLogsIn() throws Exception {
        AccountRef account = new AccountRef("cli-" + UUID.randomUUID().toString().substring(0, 12));
        IssueResult.Issued issued = (IssueResult.Issued) tokens.issue(SERVICE, account, "taro@example.jp",
                "24680135".toCharArray(), Locale.JAPANESE, PORTAL);
        String server = "http://localhost:" + port;

        Run wrong = kagiToken("11111111\n", "activate", "--server", server, "--service-id", SERVICE.digits(),
                "--user-id", issued.userId().digits(), "--password-stdin");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("the activation password is wrong; 4 more wrong attempts void the token");

        Run activate = kagiToken("24680135\n", "activate", "--server", server, "--service-id", SERVICE.digits(),
                "--user-id", issued.userId().digits(), "--password-stdin");
        assertThat(activate.err()).isEmpty();
        assertThat(activate.exitCode()).isZero();
        assertThat(activate.out()).contains("Activated the token of かぎ銀行ビジネスWeb（CLI）");

        Path file = config.resolve("kagi").resolve("tokens.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(kagiToken("", "list").out()).contains(SERVICE.digits()).contains(issued.userId().digits());

        Run code = kagiToken("", "code", "--service-id", SERVICE.digits());
        assertThat(code.exitCode()).isZero();
        assertThat(code.out().strip()).matches("\\d{6}");

        assertThat(tokens.verify(SERVICE, account, code.out().strip(), PORTAL)).isInstanceOf(VerificationResult.Accepted.class);

        Run again = kagiToken("24680135\n", "activate", "--server", server, "--service-id", SERVICE.digits(),
                "--user-id", issued.userId().digits(), "--password-stdin");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already here");
    }

    @Test
    void saysWhenTheTokenWasActivatedElsewhere() throws Exception {
        AccountRef account = new AccountRef("cli-" + UUID.randomUUID().toString().substring(0, 12));
        IssueResult.Issued issued = (IssueResult.Issued) tokens.issue(SERVICE, account, "taro@example.jp",
                "1357".toCharArray(), Locale.JAPANESE, PORTAL);
        String server = "http://localhost:" + port;
        assertThat(kagiToken("1357\n", "activate", "--server", server, "--service-id", SERVICE.digits(),
                "--user-id", issued.userId().digits(), "--password-stdin").exitCode()).isZero();
        kagiToken("", "remove", "--service-id", SERVICE.digits(), "--yes");

        Run again = kagiToken("1357\n", "activate", "--server", server, "--service-id", SERVICE.digits(),
                "--user-id", issued.userId().digits(), "--password-stdin");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("a token activated already is set up again by issuing a token again on the PC");
    }
}
