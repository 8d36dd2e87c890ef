package io.kagi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.kagi.test.MutableClock;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.health.contributor.Status;

/**
 * The readiness check of the primary database without a running application: H2 is up (never a
 * standby), an unreachable PostgreSQL is down, and one answer is kept for a second of the
 * application's clock. The standby and read-only cases on a real PostgreSQL are in
 * {@link ReadinessIntegrationTests}; losing the database under a running node in
 * {@code DatabaseFaultTests}.
 */
class PrimaryDatabaseHealthTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));

    @Test
    void embeddedDatabaseIsUp() {
        PrimaryDatabaseHealth health = new PrimaryDatabaseHealth(h2(), clock);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void unreachableDatabaseIsDownWithoutItsMessage() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {1});
        nowhere.setDatabaseName("kagi");
        nowhere.setConnectTimeout(2);

        var answer = new PrimaryDatabaseHealth(nowhere, clock).health();

        assertThat(answer.getStatus()).isEqualTo(Status.DOWN);
        assertThat(answer.getDetails()).containsOnlyKeys("error");
        assertThat(answer.getDetails().get("error").toString()).doesNotContain(" ", "127.0.0.1");
    }

    @Test
    void oneAnswerIsKeptForASecond() {
        CountingDataSource counted = new CountingDataSource(h2());
        PrimaryDatabaseHealth health = new PrimaryDatabaseHealth(counted, clock);

        health.health();
        clock.advance(Duration.ofMillis(900));
        health.health();
        assertThat(counted.connections.get()).as("within the second: the kept answer").isEqualTo(1);

        clock.advance(Duration.ofMillis(100));
        health.health();
        assertThat(counted.connections.get()).as("a second later: checked again").isEqualTo(2);
    }

    private static DataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:health-" + UUID.randomUUID() + ";MODE=PostgreSQL");
        return h2;
    }

    /** Counts the connections asked for. */
    private static final class CountingDataSource implements DataSource {

        private final DataSource target;
        private final AtomicInteger connections = new AtomicInteger();

        CountingDataSource(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            connections.incrementAndGet();
            return target.getConnection(username, password);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return target.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return target.isWrapperFor(type);
        }
    }
}
