package io.kagi.bench.load;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Two server jars side by side on one database (issue 18: Kagi's own session store against Spring
 * Session JDBC): both nodes up at bcrypt cost 4, the same portal users, each warmed until steady,
 * then measured in interleaved rounds (first, second, first, second, …) of the portal's full
 * login, so that the shared machine's drift falls on both alike. Between rounds the session tables
 * are emptied and the statistics collector given time to flush, and each round reports, besides
 * the rate and the CPU per login, the database transactions and table accesses per login read from
 * {@code pg_stat_database} and {@code pg_stat_user_tables} (PostgreSQL counts per table, not per
 * statement, without {@code pg_stat_statements}). The first jar ({@code --jar}) migrates the
 * database first, so the second ({@code --compare-jar}) may carry migrations the first does not know.
 */
final class SessionStoreComparison {

    static final int COST = 4;
    /** PostgreSQL 15 flushes an idle backend's pending statistics after at most 10 s (PGSTAT_IDLE_INTERVAL). */
    private static final Duration STATISTICS_FLUSH = Duration.ofSeconds(11);
    private static final String SESSION_TABLES = "('http_session', 'spring_session', 'spring_session_attributes')";

    private final RunAll run;

    SessionStoreComparison(RunAll run) {
        this.run = run;
    }

    Map<String, Object> run() throws Exception {
        RunAll.Options options = run.options();
        options.requireCompareJar("sessions");
        int users = options.loginAccounts;
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        TokenSet tokens = new TokenSet(master, users);
        Map<String, String> env = Map.of("KAGI_PASSWORDS_ALGORITHM", "bcrypt", "KAGI_PASSWORDS_BCRYPT_STRENGTH", Integer.toString(COST));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("first", options.jar.toString());
        result.put("second", options.compareJar.toString());
        result.put("portalUsers", users);
        result.put("bcryptCost", COST);
        try (ServerNode first = run.startProduction("sessions-first", options.nodePoolSize, env)) {
            long companyId = LoginLoad.seedPortalUsers(run.db(), run.sealer(), users, tokens);
            run.db().execute("UPDATE bizweb_user SET password_hash = '{bcrypt}"
                    + new BCryptPasswordEncoder(COST).encode(LoginLoad.PASSWORD) + "' WHERE company_id = " + companyId);
            try (ServerNode second = run.startProduction("sessions-second", options.nodePoolSize, env, options.nodeJvmOptions,
                    options.compareJar)) {
                run.db().execute("VACUUM ANALYZE");
                List<ServerNode> nodes = List.of(first, second);
                List<String> names = List.of("first", "second");
                AtomicLong cursor = new AtomicLong();
                for (int n = 0; n < 2; n++) {
                    ServerNode node = nodes.get(n);
                    result.put("warmupSeconds " + names.get(n), ClosedLoop.warmUntilSteady("warm-up " + names.get(n),
                            options.loginUsers, i -> LoginLoad.worker(node.port(), tokens, cursor, i),
                            Duration.ofSeconds(options.warmupSeconds), Duration.ofSeconds(options.warmupMaxSeconds),
                            List.of(node), run.db()));
                }
                List<Map<String, Object>> rounds = new ArrayList<>();
                for (int round = 1; round <= options.rounds; round++) {
                    for (int n = 0; n < 2; n++) {
                        rounds.add(measure(names.get(n), round, nodes.get(n), tokens, cursor));
                    }
                }
                result.put("rounds", rounds);
                result.put("pairs", pairs(rounds));
            }
        }
        return result;
    }

    private Map<String, Object> measure(String name, int round, ServerNode node, TokenSet tokens, AtomicLong cursor)
            throws Exception {
        BenchDatabase db = run.db();
        for (String table : List.of("http_session", "spring_session")) {
            if (db.queryLong("SELECT count(*) FROM pg_class WHERE relname = '" + table + "'") > 0) {
                db.execute("DELETE FROM " + table);
            }
        }
        db.execute("VACUUM ANALYZE");
        Thread.sleep(STATISTICS_FLUSH.toMillis());
        Map<String, Long> before = counters(db);
        ClosedLoop.Result measured = ClosedLoop.run("full login, bcrypt cost " + COST + ", " + name + ", round " + round,
                run.options().loginUsers, i -> LoginLoad.worker(node.port(), tokens, cursor, i), Duration.ZERO,
                Duration.ofSeconds(run.options().loginSeconds), Long.MAX_VALUE, List.of(node), db);
        Thread.sleep(STATISTICS_FLUSH.toMillis());
        Map<String, Long> after = counters(db);
        Map<String, Object> phase = measured.toMap();
        phase.put("jar", name);
        phase.put("round", round);
        long logins = Math.max(1, measured.succeeded() + measured.failed());
        Map<String, Object> perLogin = new LinkedHashMap<>();
        after.forEach((key, value) -> perLogin.put(key, (value - before.get(key)) / (double) logins));
        phase.put("databasePerLogin", perLogin);
        System.out.printf("    per login: %s%n", perLogin);
        return phase;
    }

    /** Transactions, and table reads (scans) and row writes, all tables and the session tables alone. */
    private static Map<String, Long> counters(BenchDatabase db) throws SQLException {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                counters.put("transactions", rs.getLong(1));
            }
            String sums = "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0), coalesce(sum(n_tup_ins), 0),"
                    + " coalesce(sum(n_tup_upd), 0), coalesce(sum(n_tup_del), 0) FROM pg_stat_user_tables";
            try (ResultSet rs = statement.executeQuery(sums)) {
                rs.next();
                counters.put("tableScans", rs.getLong(1));
                counters.put("rowsInserted", rs.getLong(2));
                counters.put("rowsUpdated", rs.getLong(3));
                counters.put("rowsDeleted", rs.getLong(4));
            }
            try (ResultSet rs = statement.executeQuery(sums + " WHERE relname IN " + SESSION_TABLES)) {
                rs.next();
                counters.put("sessionTableScans", rs.getLong(1));
                counters.put("sessionRowsInserted", rs.getLong(2));
                counters.put("sessionRowsUpdated", rs.getLong(3));
                counters.put("sessionRowsDeleted", rs.getLong(4));
            }
        }
        return counters;
    }

    /** The second jar's rate over the first's, round by round, with their spread. */
    static Map<String, Object> pairs(List<Map<String, Object>> rounds) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i + 1 < rounds.size(); i += 2) {
            double first = ((Number) rounds.get(i).get("perSecond")).doubleValue();
            double second = ((Number) rounds.get(i + 1).get("perSecond")).doubleValue();
            ratios.add(second / first);
        }
        Map<String, Object> pairs = new LinkedHashMap<>();
        pairs.put("secondOverFirst", ratios);
        pairs.put("min", ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        pairs.put("max", ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        pairs.put("mean", ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        System.out.printf("  second ÷ first, per pair: %s%n", ratios.stream().map(r -> String.format("%.3f", r)).toList());
        return pairs;
    }
}
