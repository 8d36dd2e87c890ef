package io.kagi.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.PlatformTransactionManager;

import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first operator (issue 19): its temporary password is never written to a log but to a file
 * only the process's user can read, replaced atomically (a planted symbolic link is replaced, not
 * followed), and it must be changed at the first login.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
@ExtendWith(OutputCaptureExtension.class)
class OperatorBootstrapIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Operators operators;

    @Autowired
    PlatformTransactionManager transactions;

    @TempDir
    Path dataDir;

    @Test
    void theDemoSupervisorsPasswordIsInTheOwnersFileNewAtEachStartAndNeverInTheLog(CapturedOutput output) throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        OperatorBootstrap bootstrap = bootstrap(new ConsoleProperties(null, null, null),
                environment().withProperty("kagi.demo.enabled", "true").withProperty("kagi.bank.public-url", url("")));
        bootstrap.run(null);
        String first = passwordInFile();
        bootstrap.run(null);
        String second = passwordInFile();

        assertThat(String.join("\n", bootstrap.lines())).contains(url("/console/login"), "operator01",
                dataDir.resolve(OperatorBootstrap.PASSWORD_FILE).toAbsolutePath().normalize().toString()).doesNotContain(first, second);
        assertThat(output.getAll()).doesNotContain(first).doesNotContain(second);
        assertThat(second).isNotEqualTo(first).hasSize(12);
        assertOwnerOnly();
        assertThat(location(console.logIn("operator01", first))).endsWith("/console/login?error");
        assertThat(location(console.logIn("operator01", second))).endsWith("/console/token/issue");
        assertThat(mustChange("operator01")).isTrue();
    }

    @Test
    void theBootstrapOperatorIsCreatedOnceItsPasswordGoesToTheFileAndTheLogSaysOnlyWhere(CapturedOutput output)
            throws Exception {
        jdbc.sql("DELETE FROM console_pending_change").update();
        jdbc.sql("DELETE FROM console_operator").update();
        Path elsewhere = Files.createTempFile("planted", ".txt");
        Files.createSymbolicLink(dataDir.resolve(OperatorBootstrap.PASSWORD_FILE), elsewhere);
        ConsoleProperties properties = new ConsoleProperties(null, null, "first.sv,first.sv@bank.example.jp");
        bootstrap(properties, environment()).run(null);
        String password = passwordInFile();

        assertThat(output.getAll()).doesNotContain(password)
                .contains("First console operator first.sv created (SUPERVISOR). Its temporary password is in "
                        + dataDir.resolve(OperatorBootstrap.PASSWORD_FILE));
        assertThat(Files.isSymbolicLink(dataDir.resolve(OperatorBootstrap.PASSWORD_FILE))).isFalse();
        assertThat(Files.readString(elsewhere)).as("the planted link's target").isEmpty();
        assertOwnerOnly();

        bootstrap(properties, environment()).run(null);
        assertThat(Pattern.compile("First console operator").matcher(output.getAll()).results().count()).isEqualTo(1);
        assertThat(passwordInFile()).isEqualTo(password);
        assertThat(location(new ConsoleClient(url("")).logIn("first.sv", password))).endsWith("/console/token/issue");
        assertThat(mustChange("first.sv")).isTrue();
        assertThat(jdbc.sql("SELECT role FROM console_operator WHERE login_id = 'first.sv'").query(String.class).single())
                .isEqualTo("SUPERVISOR");
    }

    private OperatorBootstrap bootstrap(ConsoleProperties properties, MockEnvironment environment) {
        return new OperatorBootstrap(operators, properties, transactions, environment);
    }

    private MockEnvironment environment() {
        return new MockEnvironment().withProperty("kagi.data-dir", dataDir.toString());
    }

    private String passwordInFile() throws Exception {
        Matcher matcher = Pattern.compile("temporary password: (\\S+)")
                .matcher(Files.readString(dataDir.resolve(OperatorBootstrap.PASSWORD_FILE)));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private void assertOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(OperatorBootstrap.PASSWORD_FILE))))
                .isEqualTo("rw-------");
    }

    private boolean mustChange(String loginId) {
        return jdbc.sql("SELECT password_must_change FROM console_operator WHERE login_id = :loginId")
                .param("loginId", loginId).query(Boolean.class).single();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
