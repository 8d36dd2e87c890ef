package io.kagi.authority;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import io.kagi.activation.SrpServer;
import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;
import io.kagi.platform.SecretsAtRest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tokens of the services' accounts: issue, verify, status, void, revoke, unlock. Each call is
 * one database transaction (verify's acceptances: a group commit, see {@link #verify}); the
 * lifecycle events are published inside it. Correct with several
 * nodes on one database: a code is accepted by a single conditional UPDATE, never by a lock held
 * in memory. Thread-safe.
 */
@Service
public class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int USER_ID_ATTEMPTS = 50;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Services services;
    private final TokenStore store;
    private final SecretsAtRest secrets;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Acceptances acceptances;
    private final TransactionTemplate transactions;

    Tokens(JdbcClient jdbc, Clock clock, Services services, TokenStore store, SecretsAtRest secrets, AuditLog audit,
           ApplicationEventPublisher events, Acceptances acceptances, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.services = services;
        this.store = store;
        this.secrets = secrets;
        this.audit = audit;
        this.events = events;
        this.acceptances = acceptances;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Issues a token for the account (voiding its earlier pending, active or locked one), publishing
     * {@link TokenIssued} in the same transaction. Every issue after the account's first gives it a
     * fresh ユーザID (the earlier ones are retired, never given again). The
     * activation password is turned into an SRP verifier (sealed) and not kept; the caller should
     * clear its array afterwards.
     *
     * @param mailAddress        where the issuance notice goes (the caller validated its form)
     * @param activationPassword 4 to 8 digits
     * @throws IllegalArgumentException if the password or mail address is malformed
     */
    @Transactional
    public IssueResult issue(ServiceId service, AccountRef account, String mailAddress, char[] activationPassword,
                             Locale locale, ClientInfo client) {
        if (mailAddress == null || mailAddress.isBlank() || mailAddress.length() > 254 || !mailAddress.contains("@")) {
            throw new IllegalArgumentException("A mail address is required");
        }
        Optional<Services.ServiceRow> found = services.find(service);
        if (found.isEmpty()) {
            audit.record(AuditEvent.of("TOKEN_ISSUE_REFUSED", client.actor()).subject("service:" + service)
                    .from(client.address()).detail("reason", "unknown-service"));
            return new IssueResult.UnknownService();
        }
        Services.ServiceRow serviceRow = found.get();
        ServicePolicy policy = serviceRow.policy();
        Locale language = languageOf(locale);
        Instant now = clock.instant();
        Account owner = lockedAccount(serviceRow.id(), account);
        Optional<TokenRow> latest = store.latestOfAccount(serviceRow.id(), account);
        if (latest.isPresent() && latest.get().state() == TokenState.REVOKED) {
            Instant allowedFrom = latest.get().revokedAt().plus(policy.revokeCoolingOff());
            if (now.isBefore(allowedFrom)) {
                audit.record(AuditEvent.of("TOKEN_ISSUE_REFUSED", client.actor()).subject(latest.get().subject())
                        .from(client.address()).detail("reason", "cooling-off"));
                return new IssueResult.CoolingOff(allowedFrom);
            }
        }
        latest.ifPresent(earlier -> store.voidToken(earlier, "REISSUED", client.actor(), client.address()));

        UserId userId = latest.isPresent() ? freshUserId(serviceRow.id(), owner, now) : owner.userId();
        String identity = io.kagi.activation.Srp6a.identity(service.digits(), userId.digits());
        byte[] salt = SrpServer.newSalt();
        byte[] verifier = SrpServer.verifier(identity, activationPassword, salt);
        Instant deadline = now.plus(policy.activationValidity());
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO authority_token (account_fk, state, mail_address, locale, otp_algorithm, otp_digits,
                               otp_step_seconds, srp_salt, activation_deadline, issued_at)
                        VALUES (:account, 'ISSUED', :mail, :locale, :algorithm, :digits, :step, :salt, :deadline, :now)""")
                .param("account", owner.id())
                .param("mail", mailAddress)
                .param("locale", language.toLanguageTag())
                .param("algorithm", policy.algorithm())
                .param("digits", policy.digits())
                .param("step", (int) policy.step().getSeconds())
                .param("salt", HexFormat.of().formatHex(salt))
                .param("deadline", TokenStore.utc(deadline))
                .param("now", TokenStore.utc(now))
                .update(key, "id");
        long tokenId = key.getKey().longValue();
        jdbc.sql("UPDATE authority_token SET srp_verifier_sealed = :verifier WHERE id = :id")
                .param("verifier", secrets.seal(verifier, SealedTokenValues.VERIFIER + tokenId))
                .param("id", tokenId)
                .update();
        Arrays.fill(verifier, (byte) 0);

        String subject = "token:" + service + "/" + userId;
        audit.record(AuditEvent.of("TOKEN_ISSUED", client.actor()).subject(subject).from(client.address())
                .detail("account", account.value()));
        events.publishEvent(new TokenIssued(service, serviceRow.name(), userId, mailAddress, language, now, deadline));
        return new IssueResult.Issued(service, userId, mailAddress, deadline);
    }

    /**
     * Verifies a code of the account's ACTIVE token (RFC 6238 with the token's parameters, the
     * service's window). A right code whose step is at or before the last accepted one is refused as
     * {@link VerificationResult.AlreadyUsed}, not counted; every other refusal counts, and the failure
     * that reaches the service's threshold locks the token (publishing {@link TokenLocked}). Of concurrent submissions of one valid code on
     * any number of nodes exactly one is accepted.
     *
     * <p>Called in a transaction, it all happens in that transaction. Called alone (the REST API),
     * the token is read without one and a matching code is accepted in a group commit with the
     * other requests of the moment ({@link Acceptances}); everything else (no token, a state that
     * is not ACTIVE, a wrong or replayed code) takes the one-transaction path.
     */
    public VerificationResult verify(ServiceId service, AccountRef account, CharSequence code, ClientInfo client) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            Optional<TokenStore.TokenWithPolicy> found = store.latestOfAccountWithPolicy(service, account);
            if (found.isPresent() && found.get().token().state() == TokenState.ACTIVE) {
                TokenRow token = found.get().token();
                Instant now = clock.instant();
                OptionalLong step = matchingStep(token, code, now, found.get().policy().window());
                if (step.isPresent() && acceptances.accept(token.id(), step.getAsLong(),
                        validFrom(token, step.getAsLong(), found.get().policy().window()), now,
                        AuditEvent.of("OTP_ACCEPTED", client.actor()).subject(token.subject()).from(client.address()))) {
                    return new VerificationResult.Accepted(step.getAsLong());
                }
            }
        }
        return transactions.execute(status -> verifyInOneTransaction(service, account, code, client));
    }

    private VerificationResult verifyInOneTransaction(ServiceId service, AccountRef account, CharSequence code,
                                                      ClientInfo client) {
        Optional<TokenStore.TokenWithPolicy> found = store.latestOfAccountWithPolicy(service, account);
        if (found.isEmpty()) {
            audit.record(AuditEvent.of("OTP_REFUSED", client.actor()).subject("service:" + service + "/" + account)
                    .from(client.address()).detail("reason", "no-token"));
            return new VerificationResult.NoUsableToken(null);
        }
        TokenRow token = store.expireIfDue(found.get().token(), client.actor(), client.address());
        ServicePolicy policy = found.get().policy();
        if (token.state() == TokenState.LOCKED) {
            audit.record(AuditEvent.of("OTP_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("reason", "locked"));
            return new VerificationResult.Locked(token.lockedAt());
        }
        if (token.state() != TokenState.ACTIVE) {
            audit.record(AuditEvent.of("OTP_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("reason", "state-" + token.state().name().toLowerCase(Locale.ROOT)));
            return new VerificationResult.NoUsableToken(token.state());
        }
        Instant now = clock.instant();
        OptionalLong step = matchingStep(token, code, now, policy.window());
        if (step.isPresent()) {
            if (acceptances.acceptInCurrentTransaction(token.id(), step.getAsLong(),
                    validFrom(token, step.getAsLong(), policy.window()), now)) {
                audit.record(AuditEvent.of("OTP_ACCEPTED", client.actor()).subject(token.subject()).from(client.address()));
                return new VerificationResult.Accepted(step.getAsLong());
            }
            TokenRow current = store.read(token.id()).orElseThrow();
            if (current.state() == TokenState.ACTIVE && current.lastAcceptedStep() != null
                    && step.getAsLong() <= current.lastAcceptedStep()) {
                // A right code of a used step: whoever sends it holds the token or saw a code; not a guess.
                audit.record(AuditEvent.of("OTP_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                        .detail("reason", "already-used"));
                return new VerificationResult.AlreadyUsed(
                        Math.max(0, policy.lockThreshold() - current.consecutiveFailures()));
            }
        }
        return countFailure(token, policy, "wrong", client, now);
    }

    /** When the account's latest token last gave an accepted code (empty when never, or no token). */
    public Optional<Instant> lastUsedAt(ServiceId service, AccountRef account) {
        return jdbc.sql("""
                        SELECT t.last_used_at FROM authority_token t
                        JOIN authority_account a ON a.id = t.account_fk JOIN authority_service s ON s.id = a.service_fk
                        WHERE s.service_id = :service AND a.account_ref = :ref ORDER BY t.id DESC LIMIT 1""")
                .param("service", service.digits()).param("ref", account.value())
                .query((row, number) -> row.getObject("last_used_at", java.time.OffsetDateTime.class))
                .optional()
                .map(java.time.OffsetDateTime::toInstant);
    }

    /**
     * The account's latest token, if any (a pending one past its deadline shows as EXPIRED). One
     * SELECT outside a transaction (a page reads this on every request: issue 24); only a token whose
     * expiry is due is expired, in a transaction of its own with its audit row, and read again.
     */
    public Optional<TokenStatus> status(ServiceId service, AccountRef account) {
        Optional<TokenRow> latest = services.find(service).flatMap(row -> store.latestOfAccount(row.id(), account));
        if (latest.isPresent() && latest.get().pendingPast(clock.instant())) {
            return transactions.execute(transaction -> Optional.of(store.expireIfDue(latest.get(), "system", null).status()));
        }
        return latest.map(TokenRow::status);
    }

    /**
     * The relying party's account that holds or held this ユーザID under the service, if any: how the
     * bank finds whose token a customer means when they quote their サービスID and ユーザID.
     */
    public Optional<AccountRef> accountOf(ServiceId service, UserId userId) {
        return jdbc.sql("""
                        SELECT a.account_ref FROM authority_account a JOIN authority_service s ON s.id = a.service_fk
                        WHERE s.service_id = :service AND a.user_id = :userId
                        UNION ALL
                        SELECT a.account_ref FROM authority_retired_user_id r
                        JOIN authority_account a ON a.id = r.account_fk JOIN authority_service s ON s.id = r.service_fk
                        WHERE s.service_id = :service AND r.user_id = :userId""")
                .param("service", service.digits())
                .param("userId", userId.digits())
                .query((rs, row) -> new AccountRef(rs.getString("account_ref")))
                .optional();
    }

    /** Voids a pending (ISSUED, not yet activated on a phone) token, e.g. the portal's 戻る. */
    @Transactional
    public void voidPending(ServiceId service, AccountRef account, ClientInfo client) {
        services.find(service)
                .flatMap(row -> store.latestOfAccount(row.id(), account))
                .map(token -> store.expireIfDue(token, client.actor(), client.address()))
                .filter(token -> token.state() == TokenState.ISSUED)
                .ifPresent(token -> store.voidToken(token, "CANCELLED", client.actor(), client.address()));
    }

    /** 失効: revokes the account's token (any state but VOIDED/EXPIRED/REVOKED); publishes {@link TokenRevoked}. */
    @Transactional
    public boolean revoke(ServiceId service, AccountRef account, ClientInfo client) {
        Optional<TokenRow> latest = services.find(service).flatMap(row -> store.latestOfAccount(row.id(), account));
        if (latest.isEmpty()) {
            return false;
        }
        TokenRow token = latest.get();
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                        UPDATE authority_token SET state = 'REVOKED', revoked_at = :now, ended_at = :now,
                               srp_salt = NULL, srp_verifier_sealed = NULL, seed_sealed = NULL, seed_key_id = NULL
                        WHERE id = :id AND state IN ('ISSUED', 'ACTIVE', 'LOCKED')""")
                .param("now", TokenStore.utc(now))
                .param("id", token.id())
                .update();
        if (updated == 0) {
            return false;
        }
        store.deleteSessions(token.id());
        audit.record(AuditEvent.of("TOKEN_REVOKED", client.actor()).subject(token.subject()).from(client.address())
                .detail("previousState", token.state().name()));
        events.publishEvent(new TokenRevoked(service, token.serviceName(), token.userId(), token.mailAddress(),
                token.locale(), now));
        return true;
    }

    /** Unlocks a LOCKED token, resetting the failure counter (publishes {@link TokenUnlocked}); false when it is not locked. */
    @Transactional
    public boolean unlock(ServiceId service, AccountRef account, ClientInfo client) {
        Optional<TokenRow> latest = services.find(service).flatMap(row -> store.latestOfAccount(row.id(), account));
        if (latest.isEmpty()) {
            return false;
        }
        int updated = jdbc.sql("""
                        UPDATE authority_token SET state = 'ACTIVE', consecutive_failures = 0, locked_at = NULL
                        WHERE id = :id AND state = 'LOCKED'""")
                .param("id", latest.get().id())
                .update();
        if (updated == 1) {
            TokenRow token = latest.get();
            audit.record(AuditEvent.of("TOKEN_UNLOCKED", client.actor()).subject(token.subject())
                    .from(client.address()));
            events.publishEvent(new TokenUnlocked(service, token.serviceName(), token.userId(), token.mailAddress(),
                    token.locale(), clock.instant()));
        }
        return updated == 1;
    }

    private OptionalLong matchingStep(TokenRow token, CharSequence code, Instant now, int window) {
        if (code == null || token.seedSealed() == null) {
            return OptionalLong.empty();
        }
        byte[] seed = secrets.open(token.seedSealed(), SealedTokenValues.SEED + token.id());
        try {
            Totp totp = new Totp(HmacAlgorithm.fromName(token.algorithm()), token.digits(),
                    Duration.ofSeconds(token.stepSeconds()));
            return totp.verify(seed, code, now, window);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** When the code of {@code step} began to be accepted: {@code window} steps before its own step began. */
    private static Instant validFrom(TokenRow token, long step, int window) {
        return Instant.ofEpochSecond((step - window) * token.stepSeconds());
    }

    VerificationResult countFailure(TokenRow token, ServicePolicy policy, String reason, ClientInfo client,
                                            Instant now) {
        int updated = jdbc.sql("""
                        UPDATE authority_token
                        SET consecutive_failures = consecutive_failures + 1,
                            state = CASE WHEN consecutive_failures + 1 >= :threshold THEN 'LOCKED' ELSE state END,
                            locked_at = CASE WHEN consecutive_failures + 1 >= :threshold THEN :now ELSE locked_at END,
                            last_failed_at = :now
                        WHERE id = :id AND state = 'ACTIVE'""")
                .param("threshold", policy.lockThreshold())
                .param("now", TokenStore.utc(now))
                .param("id", token.id())
                .update();
        TokenRow after = store.read(token.id()).orElseThrow();
        if (updated == 0) {
            audit.record(AuditEvent.of("OTP_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("reason", "state-" + after.state().name().toLowerCase(Locale.ROOT)));
            return after.state() == TokenState.LOCKED
                    ? new VerificationResult.Locked(after.lockedAt())
                    : new VerificationResult.NoUsableToken(after.state());
        }
        audit.record(AuditEvent.of("OTP_REJECTED", client.actor()).subject(token.subject()).from(client.address())
                .detail("reason", reason).detail("consecutiveFailures", Integer.toString(after.consecutiveFailures())));
        if (after.state() == TokenState.LOCKED) {
            audit.record(AuditEvent.of("TOKEN_LOCKED", client.actor()).subject(token.subject()).from(client.address()));
            events.publishEvent(new TokenLocked(token.serviceId(), token.serviceName(), token.userId(),
                    token.mailAddress(), token.locale(), now));
            return new VerificationResult.Locked(after.lockedAt());
        }
        return new VerificationResult.Rejected(Math.max(0, policy.lockThreshold() - after.consecutiveFailures()));
    }

    /** The account row, created with a fresh random ユーザID on first issue, locked for this transaction. */
    private Account lockedAccount(long serviceFk, AccountRef account) {
        for (int attempt = 0; attempt < USER_ID_ATTEMPTS; attempt++) {
            Optional<Account> existing = jdbc.sql("""
                            SELECT id, user_id FROM authority_account WHERE service_fk = :service AND account_ref = :ref FOR UPDATE""")
                    .param("service", serviceFk)
                    .param("ref", account.value())
                    .query((rs, row) -> new Account(rs.getLong("id"), new UserId(rs.getString("user_id"))))
                    .optional();
            if (existing.isPresent()) {
                return existing.get();
            }
            String candidate = randomUserId();
            if (retired(serviceFk, candidate)) {
                continue;
            }
            jdbc.sql("""
                            INSERT INTO authority_account (service_fk, account_ref, user_id, created_at)
                            VALUES (:service, :ref, :userId, :now) ON CONFLICT DO NOTHING""")
                    .param("service", serviceFk)
                    .param("ref", account.value())
                    .param("userId", candidate)
                    .param("now", TokenStore.utc(clock.instant()))
                    .update();
        }
        throw new IllegalStateException("No free ユーザID found in " + USER_ID_ATTEMPTS + " attempts");
    }

    private record Account(long id, UserId userId) {
    }

    /**
     * Retires the account's ユーザID and gives it one that no account of the service holds or ever
     * held: whoever learnt the earlier ID (an intercepted mail) cannot start exchanges for, or void,
     * the new token.
     */
    private UserId freshUserId(long serviceFk, Account owner, Instant now) {
        jdbc.sql("""
                        INSERT INTO authority_retired_user_id (service_fk, user_id, account_fk, retired_at)
                        VALUES (:service, :userId, :account, :now) ON CONFLICT DO NOTHING""")
                .param("service", serviceFk)
                .param("userId", owner.userId().digits())
                .param("account", owner.id())
                .param("now", TokenStore.utc(now))
                .update();
        for (int attempt = 0; attempt < USER_ID_ATTEMPTS; attempt++) {
            String candidate = randomUserId();
            int updated = jdbc.sql("""
                            UPDATE authority_account SET user_id = :candidate
                            WHERE id = :account
                              AND NOT EXISTS (SELECT 1 FROM authority_account o
                                              WHERE o.service_fk = :service AND o.user_id = :candidate)
                              AND NOT EXISTS (SELECT 1 FROM authority_retired_user_id r
                                              WHERE r.service_fk = :service AND r.user_id = :candidate)""")
                    .param("candidate", candidate)
                    .param("account", owner.id())
                    .param("service", serviceFk)
                    .update();
            if (updated == 1) {
                return new UserId(candidate);
            }
        }
        throw new IllegalStateException("No free ユーザID found in " + USER_ID_ATTEMPTS + " attempts");
    }

    private static String randomUserId() {
        return String.format(Locale.ROOT, "%06d", RANDOM.nextInt(1_000_000));
    }

    private boolean retired(long serviceFk, String userId) {
        return jdbc.sql("SELECT COUNT(*) FROM authority_retired_user_id WHERE service_fk = :service AND user_id = :userId")
                .param("service", serviceFk).param("userId", userId).query(Integer.class).single() > 0;
    }

    /**
     * The language a token's mails are written in, as stored with it: the tag's language and region
     * only (BCP 47 extensions such as {@code -u-ca-japanese} are dropped, and the column holds 20
     * characters); Japanese when there is none.
     */
    static Locale languageOf(Locale locale) {
        if (locale == null || locale.getLanguage().isEmpty()) {
            return Locale.JAPANESE;
        }
        return new Locale.Builder().setLanguage(locale.getLanguage()).setRegion(locale.getCountry()).build();
    }
}
