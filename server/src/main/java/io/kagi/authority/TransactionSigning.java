package io.kagi.authority;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.kagi.activation.AnswerAuthentication;
import io.kagi.activation.TransactionSignature;
import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.SecretsAtRest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 取引認証 (transaction signing, docs/transaction-signing.md): a relying party asks for a signature of
 * one transaction of one of its accounts ({@link #request}); the token answers either on the phone
 * (二経路: the token app fetches its pending requests under its status key, shows them and sends
 * 承認 with an OCRA signature of what it showed, or 否認) or offline (トランザクション認証: a code the
 * user makes by typing the payee's account number and the amount into the token); the relying
 * party then {@linkplain #complete completes} the request once, in the transaction of its change.
 * A request lives 5 minutes and is used once; a wrong signature counts toward the token's lock like
 * a wrong code. Every step writes its audit row. Thread-safe; correct with several nodes (every
 * change of a request is one conditional UPDATE).
 */
@Service
public class TransactionSigning {

    /** How long a request can be answered and completed. */
    public static final Duration VALIDITY = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int VERSIONS_TRIED = 5;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TokenStore store;
    private final Tokens tokens;
    private final SecretsAtRest secrets;
    private final AuditLog audit;

    TransactionSigning(JdbcClient jdbc, Clock clock, TokenStore store, Tokens tokens, SecretsAtRest secrets, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.store = store;
        this.tokens = tokens;
        this.secrets = secrets;
        this.audit = audit;
    }

    /** A request as the relying party shows it beside its own page; {@code reference} names it. */
    public record SigningRequest(String reference, TransactionText text, String canonicalText, String digest,
                                 Instant expiresAt) {

        @Override
        public String toString() {
            return "SigningRequest[" + reference + ", " + text + "]";
        }
    }

    /** Where a request stands, as the relying party's waiting page polls it. */
    public enum SigningState {
        PENDING, APPROVED, DENIED, USED, EXPIRED,
        /** A newer request of the same token replaced it while it was pending (the phone shows one at a time). */
        SUPERSEDED
    }

    /** The service's signing policy (TOTP only when the service is unknown). */
    @Transactional(readOnly = true)
    public SigningPolicy policy(ServiceId service) {
        return jdbc.sql("SELECT transaction_signing FROM authority_service WHERE service_id = :service")
                .param("service", service.digits()).query(String.class).optional()
                .map(SigningPolicy::valueOf).orElse(SigningPolicy.TOTP_ONLY);
    }

    /** Sets the service's signing policy, with its audit row; false when the service is unknown or it was so already. */
    @Transactional
    public boolean changePolicy(ServiceId service, SigningPolicy policy, ClientInfo client) {
        SigningPolicy before = policy(service);
        int updated = jdbc.sql("""
                        UPDATE authority_service SET transaction_signing = :policy
                        WHERE service_id = :service AND transaction_signing <> :policy""")
                .param("policy", policy.name()).param("service", service.digits()).update();
        if (updated == 1) {
            audit.record(AuditEvent.of("SERVICE_SIGNING_POLICY_CHANGED", client.actor()).subject("service:" + service)
                    .from(client.address()).detail("from", before.name()).detail("to", policy.name()));
        }
        return updated == 1;
    }

    /**
     * A new signing request for the account's ACTIVE token, valid {@link #VALIDITY}; empty (and
     * recorded) when the account has no usable token.
     */
    @Transactional
    public Optional<SigningRequest> request(ServiceId service, AccountRef account, TransactionText text, ClientInfo client) {
        Optional<TokenStore.TokenWithPolicy> found = store.latestOfAccountWithPolicy(service, account);
        if (found.isEmpty() || found.get().token().state() != TokenState.ACTIVE) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", client.actor())
                    .subject(found.map(token -> token.token().subject()).orElse("service:" + service + "/" + account))
                    .from(client.address()).detail("reason", "no-usable-token"));
            return Optional.empty();
        }
        TokenRow token = found.get().token();
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String reference = HexFormat.of().formatHex(random);
        String canonical = TransactionSignature.twoChannel(reference, text.fields());
        String digest = TransactionSignature.question(canonical);
        String offline = TransactionSignature.question(TransactionSignature.offline(text.accountNumber(),
                text.amount() == null ? null : Long.toString(text.amount())));
        Instant now = clock.instant();
        Instant expires = now.plus(VALIDITY);
        jdbc.sql("UPDATE authority_signing_request SET state = 'SUPERSEDED' WHERE token_fk = :token AND state = 'PENDING'")
                .param("token", token.id()).update();
        jdbc.sql("""
                        INSERT INTO authority_signing_request (reference, token_fk, purpose, canonical_text, digest,
                               offline_digest, state, created_at, expires_at)
                        VALUES (:reference, :token, :purpose, :text, :digest, :offline, 'PENDING', :now, :expires)""")
                .param("reference", reference).param("token", token.id()).param("purpose", text.purpose().name())
                .param("text", canonical).param("digest", digest).param("offline", offline)
                .param("now", TokenStore.utc(now)).param("expires", TokenStore.utc(expires))
                .update();
        audit.record(AuditEvent.of("SIGNING_REQUESTED", client.actor()).subject(token.subject()).from(client.address())
                .detail("request", reference).detail("shown", text.auditLine()).detail("digest", digest));
        return Optional.of(new SigningRequest(reference, text, canonical, digest, expires));
    }

    /** Where the account's request stands; empty when it is not this account's. */
    @Transactional(readOnly = true)
    public Optional<SigningState> state(ServiceId service, AccountRef account, String reference) {
        return find(service, account, reference).map(row -> row.stateAt(clock.instant()));
    }

    /** The request, when it is this account's. */
    @Transactional(readOnly = true)
    public Optional<SigningRequest> find(ServiceId service, AccountRef account, String reference, boolean unused) {
        return find(service, account, reference).filter(row -> !unused || !"USED".equals(row.state()))
                .map(row -> new SigningRequest(row.reference(), row.text(), row.canonicalText(), row.digest(), row.expiresAt()));
    }

    /**
     * Completes the request in the caller's transaction (or its own): with {@code code}, checks it
     * as the offline signature of the request's account number and amount; without, takes the
     * phone's approval. Either way the request is used at most once; a wrong code counts toward the
     * lock.
     */
    @Transactional
    public SigningOutcome complete(ServiceId service, AccountRef account, String reference, String code, ClientInfo client) {
        Optional<RequestRow> found = find(service, account, reference);
        if (found.isEmpty()) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", client.actor()).subject("service:" + service + "/" + account)
                    .from(client.address()).detail("reason", "unknown-request"));
            return new SigningOutcome.NotFound();
        }
        RequestRow row = found.get();
        Instant now = clock.instant();
        SigningState state = row.stateAt(now);
        TokenRow token = store.read(row.tokenId()).orElseThrow();
        if (state == SigningState.USED || state == SigningState.EXPIRED || state == SigningState.DENIED
                || state == SigningState.SUPERSEDED) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("request", reference).detail("reason", state.name().toLowerCase(Locale.ROOT)));
            return switch (state) {
                case USED -> new SigningOutcome.AlreadyUsed();
                case EXPIRED, SUPERSEDED -> new SigningOutcome.Expired();
                case DENIED -> new SigningOutcome.Denied();
                case PENDING, APPROVED -> throw new IllegalStateException("unreachable");
            };
        }
        if (token.state() == TokenState.LOCKED) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("request", reference).detail("reason", "locked"));
            return new SigningOutcome.Locked(token.lockedAt());
        }
        if (token.state() != TokenState.ACTIVE) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("request", reference).detail("reason", "state-" + token.state().name().toLowerCase(Locale.ROOT)));
            return new SigningOutcome.NoUsableToken(token.state());
        }
        if (code == null || code.isBlank()) {
            if (state == SigningState.PENDING) {
                return new SigningOutcome.Pending(row.expiresAt());
            }
            return use(row, token, "phone", null, List.of("APPROVED"), client, now);
        }
        long step = matchingStep(token, row.offlineDigest(), code, row.createdAt(), now);
        if (step < 0) {
            audit.record(AuditEvent.of("SIGNING_REJECTED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("request", reference).detail("way", "code"));
            return wrong(token, client, now);
        }
        return use(row, token, "code", step, List.of("PENDING", "APPROVED"), client, now);
    }

    private SigningOutcome use(RequestRow row, TokenRow token, String by, Long step, List<String> from, ClientInfo client,
                               Instant now) {
        int updated = jdbc.sql("""
                        UPDATE authority_signing_request SET state = 'USED', used_at = :now,
                               answered_by = COALESCE(answered_by, :by), answered_at = COALESCE(answered_at, :now),
                               accepted_step = COALESCE(accepted_step, :step)
                        WHERE id = :id AND state IN (:from) AND expires_at > :now""")
                .param("now", TokenStore.utc(now)).param("by", by).param("step", step).param("id", row.id())
                .param("from", from).update();
        if (updated == 0) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", client.actor()).subject(token.subject()).from(client.address())
                    .detail("request", row.reference()).detail("reason", "used"));
            return new SigningOutcome.AlreadyUsed();
        }
        audit.record(AuditEvent.of("TRANSACTION_SIGNED", client.actor()).subject(token.subject()).from(client.address())
                .detail("request", row.reference()).detail("shown", row.text().auditLine()).detail("digest", row.digest())
                .detail("by", by).detail("token", token.userId().digits()));
        return new SigningOutcome.Signed(row.reference(), row.digest(), by, token.userId());
    }

    private SigningOutcome wrong(TokenRow token, ClientInfo client, Instant now) {
        ServicePolicy policy = store.latestOfAccountWithPolicy(token.serviceId(), new AccountRef(token.accountRef()))
                .orElseThrow().policy();
        VerificationResult counted = tokens.countFailure(token, policy, "signing-wrong", client, now);
        if (counted instanceof VerificationResult.Rejected rejected) {
            return new SigningOutcome.WrongCode(rejected.attemptsLeft());
        }
        if (counted instanceof VerificationResult.Locked locked) {
            return new SigningOutcome.Locked(locked.lockedAt());
        }
        if (counted instanceof VerificationResult.NoUsableToken none) {
            return new SigningOutcome.NoUsableToken(none.state());
        }
        throw new IllegalStateException("A failure counted as " + counted.getClass().getSimpleName());
    }

    /** The step of a signature made between a step before the request and a step after now; -1 when none. */
    private long matchingStep(TokenRow token, String question, CharSequence response, Instant createdAt, Instant now) {
        if (token.seedSealed() == null || response == null || !response.toString().matches("[0-9]{8}")) {
            return -1;
        }
        byte[] seed = secrets.open(token.seedSealed(), SealedTokenValues.SEED + token.id());
        try {
            return TransactionSignature.matchingStep(seed, token.algorithm(), question, response,
                    TransactionSignature.step(createdAt) - 1, TransactionSignature.step(now) + 1);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    // ---- the token app: its pending requests and its answers, under the token's status key ----

    /** A request as the phone shows it. */
    record PendingRequest(String reference, Map<String, String> fields, String canonicalText, String suite,
                          Instant expiresAt) {
    }

    sealed interface PhoneOutcome {
        record Listed(List<PendingRequest> requests, String serverTime) implements PhoneOutcome {
        }

        record Answered(String state) implements PhoneOutcome {
        }

        /** The signature does not verify: counted toward the lock. */
        record WrongSignature(int attemptsLeft) implements PhoneOutcome {
        }

        record Locked() implements PhoneOutcome {
        }

        /** Expired, used or answered already. */
        record Gone(String reason) implements PhoneOutcome {
        }

        /** Unknown IDs, a proof that matches no token, another token's request: answered alike. */
        record Unknown() implements PhoneOutcome {
        }

        record Malformed() implements PhoneOutcome {
        }
    }

    private record AuthenticatedToken(long id) {
    }

    /** The token's pending requests, newest first, to a token proving its status key. */
    @Transactional(readOnly = true)
    PhoneOutcome pending(String serviceId, String userId, String nonce, String proof) {
        if (!wellFormed(serviceId, userId, nonce, proof)) {
            return new PhoneOutcome.Malformed();
        }
        Optional<AuthenticatedToken> token = authenticated(serviceId, userId,
                TransactionSignature.pendingRequest(serviceId, userId, nonce), proof);
        if (token.isEmpty()) {
            return new PhoneOutcome.Unknown();
        }
        Instant now = clock.instant();
        List<PendingRequest> requests = jdbc.sql(SELECT + " WHERE r.token_fk = :token AND r.state = 'PENDING' AND r.expires_at > :now ORDER BY r.id DESC")
                .param("token", token.get().id()).param("now", TokenStore.utc(now)).query(TransactionSigning::row).list()
                .stream().map(row -> new PendingRequest(row.reference(), row.text().fields(), row.canonicalText(),
                        TransactionSignature.suite(row.algorithm()).toString(), row.expiresAt()))
                .toList();
        return new PhoneOutcome.Listed(requests, AnswerAuthentication.time(now));
    }

    /**
     * The phone's 承認 (with the OCRA signature of the canonical text it showed) or 否認 of one of
     * its token's pending requests, once, with its audit row.
     */
    @Transactional
    PhoneOutcome answer(String serviceId, String userId, String reference, String decision, String response,
                        String nonce, String proof, String address) {
        if (!wellFormed(serviceId, userId, nonce, proof) || reference == null || !reference.matches("[0-9a-f]{32}")
                || !("approve".equals(decision) || "deny".equals(decision))
                || ("approve".equals(decision) && (response == null || !response.matches("[0-9]{8}")))) {
            return new PhoneOutcome.Malformed();
        }
        Optional<AuthenticatedToken> token = authenticated(serviceId, userId,
                TransactionSignature.answerRequest(serviceId, userId, reference, decision, response, nonce), proof);
        if (token.isEmpty()) {
            return new PhoneOutcome.Unknown();
        }
        Optional<RequestRow> found = jdbc.sql(SELECT + " WHERE r.reference = :reference AND r.token_fk = :token")
                .param("reference", reference).param("token", token.get().id()).query(TransactionSigning::row).optional();
        if (found.isEmpty()) {
            return new PhoneOutcome.Unknown();
        }
        RequestRow row = found.get();
        TokenRow tokenRow = store.read(row.tokenId()).orElseThrow();
        ClientInfo phone = new ClientInfo("token:" + serviceId + "/" + userId, address);
        Instant now = clock.instant();
        SigningState state = row.stateAt(now);
        if (state != SigningState.PENDING) {
            audit.record(AuditEvent.of("SIGNING_REFUSED", phone.actor()).subject(tokenRow.subject()).from(address)
                    .detail("request", reference).detail("reason", state.name().toLowerCase(Locale.ROOT)));
            return new PhoneOutcome.Gone(state.name().toLowerCase(Locale.ROOT));
        }
        if (tokenRow.state() != TokenState.ACTIVE) {
            return tokenRow.state() == TokenState.LOCKED ? new PhoneOutcome.Locked() : new PhoneOutcome.Unknown();
        }
        Long step = null;
        if ("approve".equals(decision)) {
            long matched = matchingStep(tokenRow, row.digest(), response, row.createdAt(), now);
            if (matched < 0) {
                audit.record(AuditEvent.of("SIGNING_REJECTED", phone.actor()).subject(tokenRow.subject()).from(address)
                        .detail("request", reference).detail("way", "phone"));
                SigningOutcome counted = wrong(tokenRow, phone, now);
                return counted instanceof SigningOutcome.WrongCode wrongCode
                        ? new PhoneOutcome.WrongSignature(wrongCode.attemptsLeft()) : new PhoneOutcome.Locked();
            }
            step = matched;
        }
        String next = "approve".equals(decision) ? "APPROVED" : "DENIED";
        int updated = jdbc.sql("""
                        UPDATE authority_signing_request SET state = :next, answered_at = :now, answered_by = 'phone',
                               accepted_step = :step
                        WHERE id = :id AND state = 'PENDING' AND expires_at > :now""")
                .param("next", next).param("now", TokenStore.utc(now)).param("step", step).param("id", row.id()).update();
        if (updated == 0) {
            return new PhoneOutcome.Gone("answered");
        }
        audit.record(AuditEvent.of("approve".equals(decision) ? "SIGNING_APPROVED_ON_PHONE" : "SIGNING_DENIED_ON_PHONE",
                        phone.actor()).subject(tokenRow.subject()).from(address)
                .detail("request", reference).detail("shown", row.text().auditLine()).detail("digest", row.digest())
                .detail("token", userId));
        return new PhoneOutcome.Answered("approve".equals(decision) ? "approved" : "denied");
    }

    private static boolean wellFormed(String serviceId, String userId, String nonce, String proof) {
        return serviceId != null && serviceId.matches("[0-9]{8}") && userId != null && userId.matches("[0-9]{6}")
                && nonce != null && nonce.matches("[0-9a-f]{32}") && proof != null && proof.matches("[0-9a-fA-F]{64}");
    }

    /** The ACTIVE token of the user whose status key verifies the proof (the latest versions tried). */
    private Optional<AuthenticatedToken> authenticated(String serviceId, String userId, byte[] message, String proof) {
        List<Map.Entry<Long, String>> candidates = jdbc.sql("""
                        SELECT t.id, t.status_key_sealed
                        FROM authority_token t
                        JOIN authority_account a ON a.id = t.account_fk
                        JOIN authority_service s ON s.id = a.service_fk
                        WHERE s.service_id = :service AND a.user_id = :user AND t.state = 'ACTIVE'
                          AND t.status_key_sealed IS NOT NULL
                        ORDER BY t.id DESC LIMIT :versions""")
                .param("service", serviceId).param("user", userId).param("versions", VERSIONS_TRIED)
                .query((rs, number) -> Map.entry(rs.getLong("id"), rs.getString("status_key_sealed")))
                .list();
        for (Map.Entry<Long, String> candidate : candidates) {
            byte[] key = secrets.open(candidate.getValue(), TokenStatusAnswers.context(candidate.getKey()));
            try {
                if (AnswerAuthentication.verifies(key, message, proof)) {
                    return Optional.of(new AuthenticatedToken(candidate.getKey()));
                }
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return Optional.empty();
    }

    // ---- rows ----

    private record RequestRow(long id, String reference, long tokenId, String algorithm, String canonicalText,
                              String digest, String offlineDigest, String state, Instant createdAt, Instant expiresAt) {

        TransactionText text() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : canonicalText.split("\n", -1)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            return TransactionText.of(fields);
        }

        SigningState stateAt(Instant now) {
            SigningState stored = SigningState.valueOf(state);
            if ((stored == SigningState.PENDING || stored == SigningState.APPROVED) && !now.isBefore(expiresAt)) {
                return SigningState.EXPIRED;
            }
            return stored;
        }

        @Override
        public String toString() {
            return "RequestRow[" + reference + ", " + state + "]";
        }
    }

    private static final String SELECT = """
            SELECT r.id, r.reference, r.token_fk, t.otp_algorithm, r.canonical_text, r.digest, r.offline_digest, r.state,
                   r.created_at, r.expires_at
            FROM authority_signing_request r
            JOIN authority_token t ON t.id = r.token_fk
            JOIN authority_account a ON a.id = t.account_fk
            JOIN authority_service s ON s.id = a.service_fk
            """;

    private Optional<RequestRow> find(ServiceId service, AccountRef account, String reference) {
        if (reference == null || !reference.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        return jdbc.sql(SELECT + " WHERE r.reference = :reference AND s.service_id = :service AND a.account_ref = :ref")
                .param("reference", reference).param("service", service.digits()).param("ref", account.value())
                .query(TransactionSigning::row).optional();
    }

    private static RequestRow row(ResultSet rs, int number) throws SQLException {
        return new RequestRow(rs.getLong("id"), rs.getString("reference"), rs.getLong("token_fk"),
                rs.getString("otp_algorithm"), rs.getString("canonical_text"), rs.getString("digest"),
                rs.getString("offline_digest"), rs.getString("state"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant());
    }
}
