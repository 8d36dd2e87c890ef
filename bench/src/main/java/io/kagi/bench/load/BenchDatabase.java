package io.kagi.bench.load;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The benchmark's own PostgreSQL database (created and dropped here; the server itself is never
 * touched): seeds the relying-party service, accounts and ACTIVE tokens straight with COPY.
 */
final class BenchDatabase {

    private final String host;
    private final int port;
    private final String user;
    private final String name;

    BenchDatabase(String host, int port, String user, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.name = name;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String user() {
        return user;
    }

    String name() {
        return name;
    }

    void recreate() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
    }

    void drop() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, "");
    }

    /** Connections to the whole server right now (other engineers' tests share it). */
    int serverConnections() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The server processes serving connections to this database right now (same machine: loopback). */
    java.util.List<Long> backendPids() {
        java.util.List<Long> pids = new java.util.ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            return java.util.List.of();
        }
        return pids;
    }

    /** Registers the benchmark's relying party with the API secret's SHA-256 as the server keeps it; returns its row id. */
    long insertService(String serviceId, String apiSecret) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO authority_service (service_id, name, api_secret_hash, created_at)
                     VALUES (?, 'Benchmark relying party', ?, now()) RETURNING id""")) {
            insert.setString(1, serviceId);
            insert.setString(2, "sha256:" + HexFormat.of().formatHex(sha256(apiSecret)));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Adds accounts {@code a<from>..a<to-1>} of the service, each with one ACTIVE token whose seed is
     * sealed as the server seals it (context {@code token-seed:<row id>}). Row ids are
     * {@code idBase + i}, for the account and its token alike.
     */
    void seedTokens(long serviceFk, TokenSet tokens, SeedSealer sealer, int from, int to, long idBase)
            throws SQLException, IOException {
        seedTokens(serviceFk, tokens, sealer, from, to, idBase, TokenSet::accountRef);
    }

    /** As above, with the accounts' references given (the portal's users are {@code bizweb-user:<id>}). */
    void seedTokens(long serviceFk, TokenSet tokens, SeedSealer sealer, int from, int to, long idBase,
                    java.util.function.IntFunction<String> accountRefs) throws SQLException, IOException {
        if (to > 1_000_000) {
            throw new IllegalArgumentException("ユーザID has 6 digits: at most 1,000,000 tokens in one service");
        }
        String now = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        SecureRandom random = new SecureRandom();
        byte[] nonce = new byte[12];
        int chunk = 50_000;
        try (Connection connection = connect()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int start = from; start < to; start += chunk) {
                int end = Math.min(to, start + chunk);
                StringBuilder accounts = new StringBuilder((end - start) * 60);
                StringBuilder rows = new StringBuilder((end - start) * 200);
                for (int i = start; i < end; i++) {
                    long id = idBase + i;
                    accounts.append(id).append('\t').append(serviceFk).append('\t').append(accountRefs.apply(i))
                            .append('\t').append(String.format("%06d", i)).append('\t').append(now).append('\n');
                    random.nextBytes(nonce);
                    String sealed = sealer.seal(tokens.seed(i), "token-seed:" + id, nonce);
                    rows.append(id).append('\t').append(id).append("\tACTIVE\tbench").append(i).append("@bench.invalid\tja\t")
                            .append("SHA256\t6\t60\t").append(deadline).append('\t').append(sealed).append('\t')
                            .append(sealer.keyId()).append('\t').append(now).append('\t').append(now).append('\n');
                }
                copy.copyIn("COPY authority_account (id, service_fk, account_ref, user_id, created_at) FROM STDIN",
                        new StringReader(accounts.toString()));
                copy.copyIn("""
                        COPY authority_token (id, account_fk, state, mail_address, locale, otp_algorithm, otp_digits,
                             otp_step_seconds, activation_deadline, seed_sealed, seed_key_id, issued_at, activated_at)
                        FROM STDIN""", new StringReader(rows.toString()));
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT setval(pg_get_serial_sequence('authority_account', 'id'), (SELECT max(id) FROM authority_account))");
                statement.execute("SELECT setval(pg_get_serial_sequence('authority_token', 'id'), (SELECT max(id) FROM authority_token))");
            }
        }
    }

    /** A free id base above every account and token row. */
    long nextIdBase() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT greatest((SELECT coalesce(max(id), 0) FROM authority_account), (SELECT coalesce(max(id), 0) FROM authority_token)) + 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
