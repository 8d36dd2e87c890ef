package io.kagi.authority;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fixed-window counters in the database, so that every node sees the same count: a hit is
 * allowed while the key's count in the current window is below the limit. Joins the caller's
 * transaction.
 */
@Component
class RateLimiter {

    private final JdbcClient jdbc;
    private final Clock clock;

    RateLimiter(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Counts a hit; empty when allowed, else the seconds until the window ends. */
    OptionalLong hit(String key, int limit, Duration window) {
        Instant now = clock.instant();
        long length = window.getSeconds();
        Instant windowStart = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), length) * length);
        int created = jdbc.sql("""
                        INSERT INTO authority_rate_counter (counter_key, window_start, hits) VALUES (:key, :window, 0)
                        ON CONFLICT DO NOTHING""")
                .param("key", key)
                .param("window", TokenStore.utc(windowStart))
                .update();
        if (created == 1) {
            jdbc.sql("DELETE FROM authority_rate_counter WHERE window_start < :old")
                    .param("old", TokenStore.utc(now.minus(Duration.ofDays(1))))
                    .update();
        }
        int counted = jdbc.sql("""
                        UPDATE authority_rate_counter SET hits = hits + 1
                        WHERE counter_key = :key AND window_start = :window AND hits < :limit""")
                .param("key", key)
                .param("window", TokenStore.utc(windowStart))
                .param("limit", limit)
                .update();
        if (counted == 1) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, Duration.between(now, windowStart.plus(window)).toSeconds()));
    }
}
