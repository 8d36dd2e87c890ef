package io.kagi.platform;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.kagi.console.ConsoleTestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default's database as {@code application.yml} configures it (an H2 file under
 * {@code kagi.data-dir}, the schema made by Flyway through the pool) while the connection pool
 * retires its connections, as Hikari does after {@code max-lifetime} (30 minutes): soft eviction
 * is the same retirement path, without waiting for it. H2 2.4.240 bound each {@code CHECK (x IN …)}
 * to the session that created it, so once Flyway's pooled connection was retired every login
 * answered 500 ("Check constraint invalid … The database has been closed").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the login test first: a closed and reopened database would hide its failure
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kagi.demo.enabled=false",
        "management.server.port=0",
        "kagi.app.port=0",
        "kagi.certificates.https-port=0",
        "kagi.passwords.algorithm=bcrypt",
        "kagi.passwords.bcrypt-strength=4"
})
class EmbeddedDatabaseTests {

    private static final Path DATA_DIR = Path.of(".", "target", "embedded-database-tests", UUID.randomUUID().toString());

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("kagi.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @BeforeEach
    void isTheEmbeddedFileDatabase() {
        assertThat(((HikariDataSource) dataSource).getJdbcUrl())
                .startsWith("jdbc:h2:file:" + DATA_DIR + "/kagi;");
    }

    @Test
    @Order(1)
    void portalAndConsoleLoginsKeepWorkingWhileThePoolRetiresItsConnections() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        operator("op-" + suffix, "console-retire-1");
        portalMaster("usr-" + suffix, "portal-retire-1");
        String baseUrl = "http://localhost:" + port;

        for (int round = 0; round <= 2; round++) {
            HttpResponse<String> console = FormLogin.logIn(baseUrl, "/console/login", "op-" + suffix, "console-retire-1");
            assertThat(console.statusCode()).as("console login after %d retirements: %s", round, console.body()).isEqualTo(302);
            assertThat(console.headers().firstValue("Location")).get().asString().endsWith("/console/token/issue");
            HttpResponse<String> portal = FormLogin.logIn(baseUrl, "/bizweb/login", "usr-" + suffix, "portal-retire-1");
            assertThat(portal.statusCode()).as("portal login after %d retirements: %s", round, portal.body()).isEqualTo(302);
            assertThat(portal.headers().firstValue("Location")).get().asString().endsWith("/bizweb/token/issue");
            retireEveryConnectionWhileOneIsInUse();
        }
    }

    @Test
    @Order(2)
    void theDatabaseStaysOpenWhileThePoolReplacesEveryConnection() {
        // A global temporary table's rows are shared by all sessions and live as long as the open database.
        jdbc.sql("CREATE GLOBAL TEMPORARY TABLE IF NOT EXISTS open_probe (marker VARCHAR(36))").update();
        String marker = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO open_probe (marker) VALUES (:marker)").param("marker", marker).update();

        retireEveryConnection();
        retireEveryConnection();

        assertThat(jdbc.sql("SELECT marker FROM open_probe").query(String.class).list()).contains(marker);
    }

    /**
     * Retires every pooled connection as {@code max-lifetime} does, one at a time in effect: the idle
     * ones now, the one in use when it is given back, so the database always has an open session.
     */
    private void retireEveryConnectionWhileOneIsInUse() {
        try (Connection inUse = dataSource.getConnection()) {
            retireEveryConnection();
            assertThat(inUse.isValid(5)).isTrue();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes every idle pooled connection at once and waits until the pool has replaced at least one. */
    private void retireEveryConnection() {
        HikariDataSource hikari = (HikariDataSource) dataSource;
        hikari.getHikariPoolMXBean().softEvictConnections();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hikari.getHikariPoolMXBean().getTotalConnections() > 0 && System.nanoTime() < deadline
                && hikari.getHikariPoolMXBean().getTotalConnections() == hikari.getMaximumPoolSize()) {
            Thread.onSpinWait();
        }
    }

    private void operator(String loginId, String password) {
        new ConsoleTestData(jdbc, passwordEncoder, Clock.systemUTC()).operator(loginId, password, "SUPERVISOR");
    }

    private void portalMaster(String loginId, String password) {
        new ConsoleTestData(jdbc, passwordEncoder, Clock.systemUTC()).masterUser(loginId, password);
    }
}
