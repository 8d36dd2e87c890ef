package io.kagi.authority;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The services (relying parties) registered at this authority: サービスID, name, policy and the
 * hash of their REST API secret. Thread-safe.
 */
@Service
public class Services {

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * How long a node trusts a service's row (policy, name, API secret hash) without asking the
     * database: a change made on this node applies at once, one made on another node within this.
     */
    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    /** Registered services as last read, for {@link #CACHE_TTL}: their calls should not each cost a round trip. */
    private final Map<ServiceId, CachedRow> rows = new ConcurrentHashMap<>();

    Services(JdbcClient jdbc, Clock clock, AuditLog audit, PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Registers the service under this ID with the default policy unless it exists; returns its
     * name. Safe when several nodes start at once on an empty database: the one that loses the race
     * (its insert refused, or the row appearing between its two reads) reads the winner's row.
     */
    public String ensureRegistered(ServiceId serviceId, String name) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> {
                    Optional<String> existing = nameOf(serviceId);
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                    register(serviceId, name, ServicePolicy.defaults());
                    return name;
                });
            } catch (DuplicateKeyException | IllegalStateException registeredMeanwhile) {
                if (attempt >= 2) {
                    throw registeredMeanwhile;
                }
            }
        }
    }

    /**
     * Registers a new service with its policy.
     *
     * @throws IllegalStateException if the サービスID is taken
     */
    @Transactional
    public void register(ServiceId serviceId, String name, ServicePolicy policy) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("A service name has 1 to 100 characters");
        }
        if (nameOf(serviceId).isPresent()) {
            throw new IllegalStateException("The サービスID " + serviceId + " is registered already");
        }
        jdbc.sql("""
                        INSERT INTO authority_service (service_id, name, created_at) VALUES (:serviceId, :name, :now)""")
                .param("serviceId", serviceId.digits())
                .param("name", name)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        updatePolicy(serviceId, policy);
        forget(serviceId);
        audit.record(AuditEvent.of("SERVICE_REGISTERED", "system").subject("service:" + serviceId).detail("name", name));
    }

    /** Replaces the service's policy; tokens issued earlier keep their algorithm, digits and step. */
    @Transactional
    public boolean updatePolicy(ServiceId serviceId, ServicePolicy policy) {
        int updated = jdbc.sql("""
                        UPDATE authority_service SET otp_algorithm = :algorithm, otp_digits = :digits,
                               otp_step_seconds = :step, otp_window = :window, lock_threshold = :threshold,
                               activation_validity_hours = :validity, revoke_cooling_off_minutes = :coolingOff,
                               otp_at_login = :otpAtLogin
                        WHERE service_id = :serviceId""")
                .param("algorithm", policy.algorithm())
                .param("digits", policy.digits())
                .param("step", (int) policy.step().getSeconds())
                .param("window", policy.window())
                .param("threshold", policy.lockThreshold())
                .param("validity", (int) policy.activationValidity().toHours())
                .param("coolingOff", (int) policy.revokeCoolingOff().toMinutes())
                .param("otpAtLogin", policy.otpAtLogin())
                .param("serviceId", serviceId.digits())
                .update();
        forget(serviceId);
        return updated == 1;
    }

    public Optional<String> nameOf(ServiceId serviceId) {
        return jdbc.sql("SELECT name FROM authority_service WHERE service_id = :serviceId")
                .param("serviceId", serviceId.digits())
                .query(String.class)
                .optional();
    }

    public Optional<ServicePolicy> policyOf(ServiceId serviceId) {
        return find(serviceId).map(ServiceRow::policy);
    }

    /**
     * Makes a new random REST API secret for the service (256 bits, Base64url) and returns it: the
     * only time it is shown. The authority keeps its SHA-256 only; the earlier secret stops working.
     */
    @Transactional
    public String newApiSecret(ServiceId serviceId, String actor) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        int updated = jdbc.sql("UPDATE authority_service SET api_secret_hash = :hash WHERE service_id = :serviceId")
                .param("hash", hash(secret))
                .param("serviceId", serviceId.digits())
                .update();
        if (updated != 1) {
            throw new IllegalArgumentException("No service " + serviceId);
        }
        forget(serviceId);
        audit.record(AuditEvent.of("SERVICE_API_SECRET_CHANGED", actor).subject("service:" + serviceId));
        return secret;
    }

    /** Whether {@code secret} is the service's current API secret (SHA-256 compared in constant time). */
    boolean authenticates(ServiceId serviceId, String secret) {
        Optional<String> stored = cached(serviceId).map(CachedRow::secretHash);
        byte[] expected = stored.orElse("sha256:none").getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, hash(secret == null ? "" : secret).getBytes(StandardCharsets.US_ASCII))
                && stored.isPresent();
    }

    Optional<ServiceRow> find(ServiceId serviceId) {
        return cached(serviceId).map(CachedRow::row);
    }

    private Optional<CachedRow> cached(ServiceId serviceId) {
        Instant now = clock.instant();
        CachedRow cached = rows.get(serviceId);
        if (cached != null && !now.isBefore(cached.readAt()) && now.isBefore(cached.readAt().plus(CACHE_TTL))) {
            return Optional.of(cached);
        }
        Optional<CachedRow> read = jdbc.sql("""
                        SELECT id, service_id, name, otp_algorithm, otp_digits, otp_step_seconds, otp_window,
                               lock_threshold, activation_validity_hours, revoke_cooling_off_minutes, otp_at_login,
                               api_secret_hash
                        FROM authority_service WHERE service_id = :serviceId""")
                .param("serviceId", serviceId.digits())
                .query((rs, row) -> new CachedRow(new ServiceRow(rs.getLong("id"), new ServiceId(rs.getString("service_id")),
                        rs.getString("name"), policy(rs, "")), rs.getString("api_secret_hash"), now))
                .optional();
        // Only registered services are remembered: unknown IDs must not grow the map.
        read.ifPresentOrElse(row -> rows.put(serviceId, row), () -> rows.remove(serviceId));
        return read;
    }

    /** Drops the remembered row now and, inside a transaction, again when it ends (a read in between may have put it back). */
    private void forget(ServiceId serviceId) {
        rows.remove(serviceId);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    rows.remove(serviceId);
                }
            });
        }
    }

    /** A service's row as read at {@code readAt}; {@code secretHash} is null while it has no API secret. */
    private record CachedRow(ServiceRow row, String secretHash, Instant readAt) {

        @Override
        public String toString() {
            return "CachedRow[" + row + ", readAt=" + readAt + "]";
        }
    }

    /** The policy in a row of authority_service, its columns named with {@code prefix} (e.g. "policy_"). */
    static ServicePolicy policy(ResultSet rs, String prefix) throws SQLException {
        return new ServicePolicy(rs.getString(prefix + "otp_algorithm"), rs.getInt(prefix + "otp_digits"),
                Duration.ofSeconds(rs.getInt(prefix + "otp_step_seconds")), rs.getInt(prefix + "otp_window"),
                rs.getInt(prefix + "lock_threshold"), Duration.ofHours(rs.getInt(prefix + "activation_validity_hours")),
                Duration.ofMinutes(rs.getInt(prefix + "revoke_cooling_off_minutes")), rs.getBoolean(prefix + "otp_at_login"));
    }

    private static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A registered service as the authority's internals see it. */
    record ServiceRow(long id, ServiceId serviceId, String name, ServicePolicy policy) {
    }
}
