package io.kagi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

import io.kagi.test.DatabaseUnderTest;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.core.env.Environment;

/**
 * The readiness probe a load balancer checks: up with the primary database reachable and writable;
 * on PostgreSQL, a connection that lands on a read-only database (a standby, or a primary set
 * read-only) is out of service.
 */
@KagiIntegrationTest
class ReadinessIntegrationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private Environment environment;

    @Autowired
    private Clock clock;

    @Test
    void readinessIsUpWithThePrimaryDatabaseAndNamesIt() throws Exception {
        HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"primaryDatabase\":{\"status\":\"UP\"}");
    }

    @Test
    void readOnlyPostgresIsOutOfService() {
        Assumptions.assumeTrue(DatabaseUnderTest.isPostgres(), "PostgreSQL only: H2 is never a standby");
        PGSimpleDataSource readOnly = testDatabase();
        readOnly.setOptions("-c default_transaction_read_only=on");
        PGSimpleDataSource writable = testDatabase();

        assertThat(new PrimaryDatabaseHealth(readOnly, clock).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(new PrimaryDatabaseHealth(writable, clock).health().getStatus()).isEqualTo(Status.UP);
    }

    private PGSimpleDataSource testDatabase() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(environment.getRequiredProperty("spring.datasource.url"));
        dataSource.setUser(environment.getRequiredProperty("spring.datasource.username"));
        dataSource.setPassword(environment.getProperty("spring.datasource.password", ""));
        return dataSource;
    }
}
