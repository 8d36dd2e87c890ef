package io.kagi.platform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether this node can write to the primary database, for the readiness probe
 * ({@code /actuator/health/readiness} on the management port) that a load balancer checks:
 * {@code UP} when a connection is had and the database accepts writes; {@code OUT_OF_SERVICE} when
 * the connection leads to a standby or a read-only database ({@code pg_is_in_recovery()},
 * {@code transaction_read_only}), as during a failover before the proxy has moved; {@code DOWN}
 * when no connection can be had within the pool's time-out or the query fails. Either makes
 * readiness answer 503, so the node is taken out until it reaches the primary again; liveness does
 * not include it (a node should not be restarted because the database is away).
 *
 * <p>The answer is kept for {@link #KEPT} (by the application's clock), so that a load balancer
 * checking every second from several places costs at most one query a second; one check runs at a
 * time. On H2 (the embedded default) only a {@code SELECT 1} is made: it is never a standby.
 * Thread-safe. No detail of the cause goes out, only its exception type.
 */
@Component("primaryDatabase")
class PrimaryDatabaseHealth implements HealthIndicator {

    /** How long one answer is reused. */
    static final Duration KEPT = Duration.ofSeconds(1);
    private static final int QUERY_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final Clock clock;
    private volatile Checked last;

    PrimaryDatabaseHealth(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Checked kept = fresh(last);
        if (kept != null) {
            return kept.health();
        }
        synchronized (this) {
            kept = fresh(last);
            if (kept == null) {
                Health health = check();
                kept = new Checked(health, clock.instant());
                last = kept;
            }
            return kept.health();
        }
    }

    private Checked fresh(Checked checked) {
        if (checked == null) {
            return null;
        }
        Instant now = clock.instant();
        return !now.isBefore(checked.at()) && now.isBefore(checked.at().plus(KEPT)) ? checked : null;
    }

    private Health check() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            String product = connection.getMetaData().getDatabaseProductName();
            if (!"PostgreSQL".equals(product)) {
                statement.execute("SELECT 1");
                return Health.up().withDetail("database", product).build();
            }
            try (ResultSet row = statement.executeQuery(
                    "SELECT pg_is_in_recovery(), current_setting('transaction_read_only') = 'on'")) {
                row.next();
                if (row.getBoolean(1)) {
                    return Health.outOfService().withDetail("database", "standby (in recovery)").build();
                }
                if (row.getBoolean(2)) {
                    return Health.outOfService().withDetail("database", "read-only").build();
                }
                return Health.up().withDetail("database", "primary").build();
            }
        } catch (SQLException | RuntimeException e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
    }

    private record Checked(Health health, Instant at) {
    }
}
