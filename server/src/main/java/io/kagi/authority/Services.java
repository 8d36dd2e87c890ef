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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
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

    private static final String POLICY_SET = """
            otp_algorithm = :algorithm, otp_digits = :digits, otp_step_seconds = :step, otp_window = :window,
            lock_threshold = :threshold, activation_validity_hours = :validity,
            revoke_cooling_off_minutes = :coolingOff, otp_at_login = :otpAtLogin""";
    private static final String POLICY_IS_EXPECTED = """
            otp_algorithm = :oldAlgorithm AND otp_digits = :oldDigits AND otp_step_seconds = :oldStep
            AND otp_window = :oldWindow AND lock_threshold = :oldThreshold AND activation_validity_hours = :oldValidity
            AND revoke_cooling_off_minutes = :oldCoolingOff AND otp_at_login = :oldOtpAtLogin""";
    private static final String SELECT_DETAILS = """
            SELECT service_id, name, otp_algorithm, otp_digits, otp_step_seconds, otp_window, lock_threshold,
                   activation_validity_hours, revoke_cooling_off_minutes, otp_at_login, created_at, suspended_at,
                   api_secret_version, api_secret_changed_at, previous_api_secret_hash, previous_api_secret_until
            FROM authority_service""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final TokenStore store;
    private final ApiSecretProperties apiSecrets;
    /** Registered services as last read, for {@link #CACHE_TTL}: their calls should not each cost a round trip. */
    private final Map<ServiceId, CachedRow> rows = new ConcurrentHashMap<>();

    Services(JdbcClient jdbc, Clock clock, AuditLog audit, PlatformTransactionManager transactionManager,
             TokenStore store, ApiSecretProperties apiSecrets) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.store = store;
        this.apiSecrets = apiSecrets;
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
     * Registers a new service with its policy, as the system.
     *
     * @throws IllegalStateException if the サービスID is taken
     */
    @Transactional
    public void register(ServiceId serviceId, String name, ServicePolicy policy) {
        if (!register(serviceId, name, policy, new ClientInfo("system", null))) {
            throw new IllegalStateException("The サービスID " + serviceId + " is registered already");
        }
    }

    /**
     * Registers a new service with its policy, in service and without an API secret
     * ({@code SERVICE_REGISTERED} in the same transaction); false, and nothing written, when the
     * サービスID is taken (also when another transaction takes it at the same moment).
     *
     * @throws IllegalArgumentException if the name is blank or longer than 100 characters
     */
    @Transactional
    public boolean register(ServiceId serviceId, String name, ServicePolicy policy, ClientInfo client) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("A service name has 1 to 100 characters");
        }
        // ON CONFLICT DO NOTHING (PostgreSQL, and H2 in its PostgreSQL mode): a taken ID leaves the transaction usable.
        int inserted = jdbc.sql("""
                        INSERT INTO authority_service (service_id, name, otp_algorithm, otp_digits, otp_step_seconds,
                               otp_window, lock_threshold, activation_validity_hours, revoke_cooling_off_minutes,
                               otp_at_login, created_at)
                        VALUES (:serviceId, :name, :algorithm, :digits, :step, :window, :threshold, :validity,
                                :coolingOff, :otpAtLogin, :now)
                        ON CONFLICT DO NOTHING""")
                .params(policyParameters(policy))
                .param("serviceId", serviceId.digits())
                .param("name", name)
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .update();
        forget(serviceId);
        if (inserted != 1) {
            return false;
        }
        AuditEvent event = AuditEvent.of("SERVICE_REGISTERED", client.actor()).subject("service:" + serviceId)
                .from(client.address()).detail("name", name);
        for (Map.Entry<String, String> rule : policy.describe().entrySet()) {
            event = event.detail(rule.getKey(), rule.getValue());
        }
        audit.record(event);
        return true;
    }

    /** Replaces the service's policy (not audited: for start-up and tests); tokens issued earlier keep their algorithm, digits and step. */
    @Transactional
    public boolean updatePolicy(ServiceId serviceId, ServicePolicy policy) {
        int updated = jdbc.sql("UPDATE authority_service SET " + POLICY_SET + " WHERE service_id = :serviceId")
                .params(policyParameters(policy))
                .param("serviceId", serviceId.digits())
                .update();
        forget(serviceId);
        return updated == 1;
    }

    /**
     * Replaces the service's policy with {@code policy} if it is still {@code expected} (what the
     * operator saw), with {@code SERVICE_POLICY_CHANGED} naming each changed rule, in the same
     * transaction; false, and nothing written, when the policy changed meanwhile or the service does
     * not exist. Applies to tokens issued from now on (algorithm, digits, step) and to every token
     * of the service at its next use (window, lock threshold), activation validity and cooling-off
     * to issues from now on. The service's 取引認証 policy is left as it is.
     */
    @Transactional
    public boolean changePolicy(ServiceId serviceId, ServicePolicy expected, ServicePolicy policy, ClientInfo client) {
        return changePolicy(serviceId, expected, null, policy, null, client);
    }

    /**
     * {@link #changePolicy(ServiceId, ServicePolicy, ServicePolicy, ClientInfo)} together with the
     * service's 取引認証 policy ({@link SigningPolicy}, docs/transaction-signing.md): one conditional
     * UPDATE checks both against what the operator saw ({@code expectedSigning}) and sets both, so a
     * change of the rules and of the signing policy takes effect together or not at all; the one
     * {@code SERVICE_POLICY_CHANGED} row names {@code transactionSigning} among the changed rules.
     * {@code expectedSigning} and {@code signing} null: the signing policy is neither checked nor set.
     */
    @Transactional
    public boolean changePolicy(ServiceId serviceId, ServicePolicy expected, SigningPolicy expectedSigning,
                                ServicePolicy policy, SigningPolicy signing, ClientInfo client) {
        boolean withSigning = expectedSigning != null && signing != null;
        int updated = jdbc.sql("UPDATE authority_service SET " + POLICY_SET
                        + (withSigning ? ", transaction_signing = :signing" : "")
                        + " WHERE service_id = :serviceId AND " + POLICY_IS_EXPECTED
                        + (withSigning ? " AND transaction_signing = :oldSigning" : ""))
                .params(policyParameters(policy))
                .params(withSigning ? Map.of("signing", signing.name(), "oldSigning", expectedSigning.name()) : Map.of())
                .param("serviceId", serviceId.digits())
                .param("oldAlgorithm", expected.algorithm())
                .param("oldDigits", expected.digits())
                .param("oldStep", (int) expected.step().getSeconds())
                .param("oldWindow", expected.window())
                .param("oldThreshold", expected.lockThreshold())
                .param("oldValidity", (int) expected.activationValidity().toHours())
                .param("oldCoolingOff", (int) expected.revokeCoolingOff().toMinutes())
                .param("oldOtpAtLogin", expected.otpAtLogin())
                .update();
        forget(serviceId);
        if (updated != 1) {
            return false;
        }
        // AuditEvent is immutable: each detail gives a new event (the rules were dropped before issue 23's change).
        AuditEvent event = AuditEvent.of("SERVICE_POLICY_CHANGED", client.actor()).subject("service:" + serviceId)
                .from(client.address());
        Map<String, String> before = expected.describe();
        for (Map.Entry<String, String> rule : policy.describe().entrySet()) {
            if (!rule.getValue().equals(before.get(rule.getKey()))) {
                event = event.detail(rule.getKey(), before.get(rule.getKey()) + " -> " + rule.getValue());
            }
        }
        if (withSigning && signing != expectedSigning) {
            event = event.detail("transactionSigning", expectedSigning.name() + " -> " + signing.name());
        }
        audit.record(event);
        return true;
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

    /** Every registered service by サービスID, read from the database (not remembered). */
    public List<ServiceDetails> list() {
        return jdbc.sql(SELECT_DETAILS + " ORDER BY service_id").query(this::detailsRow).list();
    }

    /** The service as it is in the database now, if it exists. */
    public Optional<ServiceDetails> details(ServiceId serviceId) {
        return jdbc.sql(SELECT_DETAILS + " WHERE service_id = :serviceId")
                .param("serviceId", serviceId.digits())
                .query(this::detailsRow)
                .optional();
    }

    /**
     * Makes a new REST API secret for the service and returns it: the only time it is shown. The
     * secret it replaces is still accepted for {@code kagi.authority.api-secret.grace}, so the
     * relying party can switch without downtime (a secret replaced earlier is dropped at once).
     */
    @Transactional
    public String newApiSecret(ServiceId serviceId, String actor) {
        ServiceDetails service = details(serviceId).orElseThrow(() -> new IllegalArgumentException("No service " + serviceId));
        return issueApiSecret(serviceId, service.apiSecretVersion(), new ClientInfo(actor, null))
                .orElseThrow(() -> new IllegalStateException("The API secret of " + serviceId + " changed meanwhile"))
                .secret();
    }

    /**
     * Issues the service's first REST API secret or rotates it, if its secret is still at
     * {@code expectedVersion} (what the operator saw, {@link ServiceDetails#apiSecretVersion()}):
     * a random 256-bit secret (Base64url) of which only the SHA-256 is kept. On a rotation the
     * replaced secret stays valid for the grace period beside the new one, then stops; a secret
     * replaced before that is dropped at once. Audited ({@code SERVICE_API_SECRET_CHANGED}, never the
     * secret) in the same transaction. Empty, and nothing written, when the secret changed meanwhile
     * or the service does not exist.
     */
    @Transactional
    public Optional<ApiSecret> issueApiSecret(ServiceId serviceId, int expectedVersion, ClientInfo client) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant graceEnd = now.plus(apiSecrets.grace());
        int updated = jdbc.sql("""
                        UPDATE authority_service SET previous_api_secret_hash = api_secret_hash,
                               previous_api_secret_until = CASE WHEN api_secret_hash IS NULL THEN NULL ELSE :graceEnd END,
                               api_secret_hash = :hash, api_secret_changed_at = :now,
                               api_secret_version = api_secret_version + 1
                        WHERE service_id = :serviceId AND api_secret_version = :expected""")
                .param("graceEnd", graceEnd.atOffset(ZoneOffset.UTC))
                .param("hash", hash(secret))
                .param("now", now.atOffset(ZoneOffset.UTC))
                .param("serviceId", serviceId.digits())
                .param("expected", expectedVersion)
                .update();
        forget(serviceId);
        if (updated != 1) {
            return Optional.empty();
        }
        Instant previousValidUntil = expectedVersion == 0 ? null : graceEnd;
        audit.record(AuditEvent.of("SERVICE_API_SECRET_CHANGED", client.actor()).subject("service:" + serviceId)
                .from(client.address()).detail("change", expectedVersion == 0 ? "issued" : "rotated")
                .detail("version", String.valueOf(expectedVersion + 1))
                .detail("previousValidUntil", previousValidUntil == null ? "-" : previousValidUntil.toString()));
        return Optional.of(new ApiSecret(serviceId, secret, now, previousValidUntil));
    }

    /**
     * Suspends the service: from now on (on other nodes within {@link #CACHE_TTL}) its REST API
     * answers 403 {@code service-suspended} even to the right secret, so it can neither issue nor
     * verify; its pending (not yet activated) tokens are voided so that none can be activated
     * ({@code TOKEN_VOIDED}, reason {@code SERVICE_SUSPENDED}). Its active tokens are kept for a
     * resume. Audited ({@code SERVICE_SUSPENDED}) in the same transaction; false, and nothing
     * written, when it is suspended already or does not exist.
     */
    @Transactional
    public boolean suspend(ServiceId serviceId, ClientInfo client) {
        int updated = jdbc.sql("UPDATE authority_service SET suspended_at = :now WHERE service_id = :serviceId AND suspended_at IS NULL")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                .param("serviceId", serviceId.digits())
                .update();
        forget(serviceId);
        if (updated != 1) {
            return false;
        }
        List<Long> pending = jdbc.sql("""
                        SELECT t.id FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                        JOIN authority_service s ON s.id = a.service_fk
                        WHERE s.service_id = :serviceId AND t.state = 'ISSUED' ORDER BY t.id""")
                .param("serviceId", serviceId.digits())
                .query(Long.class)
                .list();
        long voided = pending.stream()
                .flatMap(id -> store.lockAndRead(id).stream())
                .filter(token -> store.voidToken(token, "SERVICE_SUSPENDED", client.actor(), client.address()))
                .count();
        audit.record(AuditEvent.of("SERVICE_SUSPENDED", client.actor()).subject("service:" + serviceId)
                .from(client.address()).detail("voidedPendingTokens", String.valueOf(voided)));
        return true;
    }

    /** Puts a suspended service back in service ({@code SERVICE_RESUMED}); false when it is not suspended. */
    @Transactional
    public boolean resume(ServiceId serviceId, ClientInfo client) {
        int updated = jdbc.sql("UPDATE authority_service SET suspended_at = NULL WHERE service_id = :serviceId AND suspended_at IS NOT NULL")
                .param("serviceId", serviceId.digits())
                .update();
        forget(serviceId);
        if (updated != 1) {
            return false;
        }
        audit.record(AuditEvent.of("SERVICE_RESUMED", client.actor()).subject("service:" + serviceId).from(client.address()));
        return true;
    }

    /** What the REST API lets a caller with these credentials do. */
    enum ApiAccess {
        /** Unknown service, no secret yet, or a wrong (or expired) secret. */
        REFUSED,
        /** The right secret of a service in service. */
        GRANTED,
        /** The right secret of a suspended service. */
        SUSPENDED
    }

    /**
     * Checks a service's API secret: its current one, or the one replaced by its last rotation
     * during the grace period (SHA-256 compared in constant time, both compared whatever the first
     * answer).
     */
    ApiAccess apiAccess(ServiceId serviceId, String secret) {
        Optional<CachedRow> row = cached(serviceId);
        byte[] given = hash(secret == null ? "" : secret).getBytes(StandardCharsets.US_ASCII);
        boolean current = MessageDigest.isEqual(ascii(row.map(CachedRow::secretHash).orElse(null)), given);
        boolean previous = MessageDigest.isEqual(ascii(row.map(CachedRow::previousSecretHash).orElse(null)), given)
                && row.map(CachedRow::previousSecretUntil).filter(clock.instant()::isBefore).isPresent();
        if (row.isEmpty() || !(current || previous)) {
            return ApiAccess.REFUSED;
        }
        return row.get().suspended() ? ApiAccess.SUSPENDED : ApiAccess.GRANTED;
    }

    private static byte[] ascii(String hash) {
        return (hash == null ? "sha256:none" : hash).getBytes(StandardCharsets.US_ASCII);
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
                               api_secret_hash, previous_api_secret_hash, previous_api_secret_until, suspended_at
                        FROM authority_service WHERE service_id = :serviceId""")
                .param("serviceId", serviceId.digits())
                .query((rs, row) -> new CachedRow(new ServiceRow(rs.getLong("id"), new ServiceId(rs.getString("service_id")),
                        rs.getString("name"), policy(rs, "")), rs.getString("api_secret_hash"),
                        rs.getString("previous_api_secret_hash"), instant(rs, "previous_api_secret_until"),
                        rs.getObject("suspended_at") != null, now))
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

    /**
     * A service's row as read at {@code readAt}; {@code secretHash} is null while it has no API
     * secret, {@code previousSecretHash} while no rotation's grace period may be running.
     */
    private record CachedRow(ServiceRow row, String secretHash, String previousSecretHash, Instant previousSecretUntil,
                             boolean suspended, Instant readAt) {

        @Override
        public String toString() {
            return "CachedRow[" + row + ", suspended=" + suspended + ", readAt=" + readAt + "]";
        }
    }

    /** The policy in a row of authority_service, its columns named with {@code prefix} (e.g. "policy_"). */
    static ServicePolicy policy(ResultSet rs, String prefix) throws SQLException {
        return new ServicePolicy(rs.getString(prefix + "otp_algorithm"), rs.getInt(prefix + "otp_digits"),
                Duration.ofSeconds(rs.getInt(prefix + "otp_step_seconds")), rs.getInt(prefix + "otp_window"),
                rs.getInt(prefix + "lock_threshold"), Duration.ofHours(rs.getInt(prefix + "activation_validity_hours")),
                Duration.ofMinutes(rs.getInt(prefix + "revoke_cooling_off_minutes")), rs.getBoolean(prefix + "otp_at_login"));
    }

    private ServiceDetails detailsRow(ResultSet rs, int rowNumber) throws SQLException {
        Instant previousUntil = rs.getString("previous_api_secret_hash") == null ? null : instant(rs, "previous_api_secret_until");
        return new ServiceDetails(new ServiceId(rs.getString("service_id")), rs.getString("name"), policy(rs, ""),
                instant(rs, "created_at"), instant(rs, "suspended_at"), rs.getInt("api_secret_version"),
                instant(rs, "api_secret_changed_at"),
                previousUntil != null && clock.instant().isBefore(previousUntil) ? previousUntil : null);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Map<String, Object> policyParameters(ServicePolicy policy) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("algorithm", policy.algorithm());
        parameters.put("digits", policy.digits());
        parameters.put("step", (int) policy.step().getSeconds());
        parameters.put("window", policy.window());
        parameters.put("threshold", policy.lockThreshold());
        parameters.put("validity", (int) policy.activationValidity().toHours());
        parameters.put("coolingOff", (int) policy.revokeCoolingOff().toMinutes());
        parameters.put("otpAtLogin", policy.otpAtLogin());
        return parameters;
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
