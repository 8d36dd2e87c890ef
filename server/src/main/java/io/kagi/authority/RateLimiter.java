package io.kagi.authority;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Token buckets in the database, so that every node sees the same count: a key holds at most
 * {@code limit} tokens and gets {@code limit} back per {@code window}, continuously; a hit takes
 * one. So at most {@code limit} hits pass in a burst and no more than {@code limit} plus the refill
 * in any window, wherever the clock hour ends (a fixed clock-hour window let twice the limit
 * through around the boundary). One conditional UPDATE a hit; a missing row is a full bucket.
 * Joins the caller's transaction.
 */
@Component
class RateLimiter {

    /** Rows untouched this long are full again for every window used here, and are deleted. */
    private static final Duration KEPT = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final Clock clock;

    RateLimiter(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Takes a token when there is one; empty when taken, else the seconds until there is one. */
    OptionalLong hit(String key, int limit, Duration window) {
        long now = clock.millis();
        ensureRow(key, limit, now);
        int taken = jdbc.sql("""
                        UPDATE authority_rate_bucket
                        SET tokens = LEAST(CAST(:capacity AS DOUBLE PRECISION), tokens + GREATEST(0, CAST(:now AS BIGINT) - updated_millis) * CAST(:rate AS DOUBLE PRECISION)) - 1,
                            updated_millis = GREATEST(updated_millis, :now)
                        WHERE counter_key = :key
                          AND LEAST(CAST(:capacity AS DOUBLE PRECISION), tokens + GREATEST(0, CAST(:now AS BIGINT) - updated_millis) * CAST(:rate AS DOUBLE PRECISION)) >= 1""")
                .param("capacity", (double) limit)
                .param("rate", rate(limit, window))
                .param("now", now)
                .param("key", key)
                .update();
        if (taken == 1) {
            return OptionalLong.empty();
        }
        OptionalLong wait = peek(key, limit, window);
        return wait.isPresent() ? wait : OptionalLong.of(1);
    }

    /** Whether a token is there, without taking it; empty when there is, else the seconds until there is one. */
    OptionalLong peek(String key, int limit, Duration window) {
        long now = clock.millis();
        double rate = rate(limit, window);
        return jdbc.sql("SELECT tokens, updated_millis FROM authority_rate_bucket WHERE counter_key = :key")
                .param("key", key)
                .query((rs, row) -> {
                    double tokens = Math.min(limit, rs.getDouble("tokens") + Math.max(0, now - rs.getLong("updated_millis")) * rate);
                    return tokens >= 1 ? OptionalLong.empty()
                            : OptionalLong.of(Math.max(1, (long) Math.ceil((1 - tokens) / rate / 1000)));
                })
                .optional()
                .orElse(OptionalLong.empty());
    }

    /** Takes a token whatever is left (an outcome that happened, such as a wrong password); never below zero. */
    void record(String key, int limit, Duration window) {
        long now = clock.millis();
        ensureRow(key, limit, now);
        jdbc.sql("""
                        UPDATE authority_rate_bucket
                        SET tokens = GREATEST(0, LEAST(CAST(:capacity AS DOUBLE PRECISION), tokens + GREATEST(0, CAST(:now AS BIGINT) - updated_millis) * CAST(:rate AS DOUBLE PRECISION)) - 1),
                            updated_millis = GREATEST(updated_millis, :now)
                        WHERE counter_key = :key""")
                .param("capacity", (double) limit)
                .param("rate", rate(limit, window))
                .param("now", now)
                .param("key", key)
                .update();
    }

    private void ensureRow(String key, int limit, long now) {
        int created = jdbc.sql("""
                        INSERT INTO authority_rate_bucket (counter_key, tokens, updated_millis) VALUES (:key, :capacity, :now)
                        ON CONFLICT DO NOTHING""")
                .param("key", key)
                .param("capacity", (double) limit)
                .param("now", now)
                .update();
        if (created == 1) {
            jdbc.sql("DELETE FROM authority_rate_bucket WHERE updated_millis < :old")
                    .param("old", now - KEPT.toMillis())
                    .update();
        }
    }

    /** Tokens per millisecond (bound with a CAST: H2 would otherwise type it like the BIGINT it multiplies). */
    private static double rate(int limit, Duration window) {
        return (double) limit / window.toMillis();
    }
}
