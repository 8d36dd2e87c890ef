package io.kagi.console;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/** The first operator: the demo supervisor's password printed at every start, and the production bootstrap operator. */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class OperatorBootstrapIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Operators operators;

    @Test
    void theDemoSupervisorLogsInWithThePasswordPrintedAtStartAndOnlyTheLatestOne() {
        ConsoleClient console = new ConsoleClient(url(""));
        OperatorBootstrap bootstrap = new OperatorBootstrap(operators, new ConsoleProperties(null, null, null),
                new MockEnvironment().withProperty("kagi.demo.enabled", "true").withProperty("kagi.bank.public-url", url("")));
        bootstrap.run(null);
        String first = printedPassword(bootstrap.lines());
        bootstrap.run(null);
        String second = printedPassword(bootstrap.lines());

        assertThat(String.join("\n", bootstrap.lines())).contains(url("/console/login"), "operator01");
        assertThat(second).isNotEqualTo(first).hasSize(12);
        assertThat(location(console.logIn("operator01", first))).endsWith("/console/login?error");
        assertThat(location(console.logIn("operator01", second))).endsWith("/console/token/issue");
        assertThat(console.page("/console/token/issue")).contains("CLGI003", "operator01@kagi.localhost");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theBootstrapOperatorIsCreatedOnceWhenThereIsNoOperatorAndItsPasswordIsLoggedOnlyThen(CapturedOutput output) {
        jdbc.sql("DELETE FROM console_operator").update();
        ConsoleProperties properties = new ConsoleProperties(null, null, "first.sv,first.sv@bank.example.jp");
        new OperatorBootstrap(operators, properties, new MockEnvironment()).run(null);
        Matcher logged = Pattern.compile("First console operator first.sv created \\(SUPERVISOR\\)\\. One-time password, shown only now: (\\S+)")
                .matcher(output.getOut());
        assertThat(logged.find()).isTrue();
        String password = logged.group(1);

        new OperatorBootstrap(operators, properties, new MockEnvironment()).run(null);
        assertThat(Pattern.compile("First console operator").matcher(output.getOut()).results().count()).isEqualTo(1);
        assertThat(location(new ConsoleClient(url("")).logIn("first.sv", password))).endsWith("/console/token/issue");
        assertThat(jdbc.sql("SELECT role FROM console_operator WHERE login_id = 'first.sv'").query(String.class).single())
                .isEqualTo("SUPERVISOR");
    }

    private static String printedPassword(List<String> lines) {
        Matcher matcher = Pattern.compile("password (\\S+)").matcher(String.join("\n", lines));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
