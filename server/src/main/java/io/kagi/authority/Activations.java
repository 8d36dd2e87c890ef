package io.kagi.authority;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

import io.kagi.activation.ActivationProtocolException;
import io.kagi.activation.AnswerAuthentication;
import io.kagi.activation.Srp6a;
import io.kagi.activation.SrpServer;
import io.kagi.activation.TokenParameters;
import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.SecretsAtRest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The authority's side of the activation exchange (docs/activation-protocol.md): {@link #start}
 * stores the exchange in the database, {@link #finish} (on any node) checks the proof, counts a
 * wrong one, and activates the token with the seed both sides derive. Thread-safe.
 */
@Service
class Activations {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration HOUR = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TokenStore store;
    private final RateLimiter limiter;
    private final SecretsAtRest secrets;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final ActivationProperties properties;

    Activations(JdbcClient jdbc, Clock clock, TokenStore store, RateLimiter limiter, SecretsAtRest secrets,
                AuditLog audit, ApplicationEventPublisher events, ActivationProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.store = store;
        this.limiter = limiter;
        this.secrets = secrets;
        this.audit = audit;
        this.events = events;
        this.properties = properties;
    }

    sealed interface StartOutcome {
        record Started(String sessionId, String salt, String serverPublic, Instant expiresAt, Instant serverTime)
                implements StartOutcome {
        }

        record Refused(ActivationProblem problem, Long retryAfterSeconds) implements StartOutcome {
        }
    }

    sealed interface FinishOutcome {
        /** {@code serverTime} in its wire form, exactly as {@code answerMac} covers it. */
        record Activated(String serverProof, ServiceId serviceId, UserId userId, String serviceName,
                         TokenParameters parameters, String serverTime, String answerMac) implements FinishOutcome {
        }

        record WrongPassword(int attemptsLeft) implements FinishOutcome {
        }

        record Refused(ActivationProblem problem) implements FinishOutcome {
        }
    }

    @Transactional
    public StartOutcome start(String protocol, String serviceId, String userId, String clientPublic, String address) {
        OptionalLong addressLimit = limiter.hit("activation-address:" + (address == null ? "unknown" : address),
                properties.perAddressPerHour(), HOUR);
        if (addressLimit.isPresent()) {
            audit.record(AuditEvent.of("ACTIVATION_RATE_LIMITED", "device").from(address).detail("limit", "address"));
            return new StartOutcome.Refused(ActivationProblem.TOO_MANY_REQUESTS, addressLimit.getAsLong());
        }
        if (!AnswerAuthentication.PROTOCOL.equals(protocol)) {
            audit.record(AuditEvent.of("ACTIVATION_REFUSED", "device").from(address)
                    .detail("reason", ActivationProblem.UPDATE_REQUIRED.code()));
            return new StartOutcome.Refused(ActivationProblem.UPDATE_REQUIRED, null);
        }
        ServiceId service;
        UserId user;
        try {
            service = new ServiceId(serviceId);
            user = new UserId(userId);
            Srp6a.publicValue(clientPublic);
        } catch (IllegalArgumentException | ActivationProtocolException e) {
            return new StartOutcome.Refused(ActivationProblem.INVALID_REQUEST, null);
        }
        Instant now = clock.instant();
        jdbc.sql("DELETE FROM authority_activation_session WHERE expires_at < :now").param("now", TokenStore.utc(now)).update();
        Optional<TokenRow> latest = store.latestOfUser(service, user).map(found -> store.expireIfDue(found, "device", address));
        // An activated, locked or revoked token answers exactly like an unknown ユーザID (no enumeration).
        Optional<ActivationProblem> unavailable = latest.isEmpty() ? Optional.of(ActivationProblem.TOKEN_NOT_FOUND)
                : unavailable(latest.get()).map(problem -> problem == ActivationProblem.ALREADY_ACTIVATED
                ? ActivationProblem.TOKEN_NOT_FOUND : problem);
        if (unavailable.isPresent()) {
            audit.record(AuditEvent.of("ACTIVATION_REFUSED", "device").subject("token:" + service + "/" + user)
                    .from(address).detail("reason", unavailable.get().code())
                    .detail("state", latest.map(row -> row.state().name()).orElse("NONE")));
            return new StartOutcome.Refused(unavailable.get(), null);
        }
        TokenRow token = latest.get();
        // Only exchanges that ended with a wrong password count here: bare starts cannot block the owner.
        OptionalLong tokenLimit = limiter.peek(wrongPasswordKey(token), properties.perTokenPerHour(), HOUR);
        if (tokenLimit.isPresent()) {
            audit.record(AuditEvent.of("ACTIVATION_RATE_LIMITED", "device").subject(token.subject()).from(address)
                    .detail("limit", "token"));
            return new StartOutcome.Refused(ActivationProblem.TOO_MANY_REQUESTS, tokenLimit.getAsLong());
        }
        byte[] b = SrpServer.newPrivateValue();
        byte[] verifier = secrets.open(token.verifierSealed(), SealedTokenValues.VERIFIER + token.id());
        SrpServer server = new SrpServer(token.identity(), HexFormat.of().parseHex(token.srpSalt()), verifier, b);
        String sessionId = newSessionId();
        Instant expiresAt = now.plus(properties.sessionValidity());
        jdbc.sql("""
                        INSERT INTO authority_activation_session (id, token_fk, client_public, server_private_sealed,
                               created_at, expires_at)
                        VALUES (:id, :token, :clientPublic, :b, :now, :expires)""")
                .param("id", sessionId)
                .param("token", token.id())
                .param("clientPublic", clientPublic.toLowerCase(java.util.Locale.ROOT))
                .param("b", secrets.seal(b, SealedTokenValues.EXCHANGE + sessionId))
                .param("now", TokenStore.utc(now))
                .param("expires", TokenStore.utc(expiresAt))
                .update();
        Arrays.fill(b, (byte) 0);
        Arrays.fill(verifier, (byte) 0);
        audit.record(AuditEvent.of("ACTIVATION_STARTED", "device").subject(token.subject()).from(address));
        return new StartOutcome.Started(sessionId, token.srpSalt(), server.serverPublicHex(), expiresAt, now);
    }

    @Transactional
    public FinishOutcome finish(String sessionId, String clientProofHex, String address) {
        byte[] clientProof;
        try {
            clientProof = HexFormat.of().parseHex(clientProofHex);
        } catch (IllegalArgumentException | NullPointerException e) {
            return new FinishOutcome.Refused(ActivationProblem.INVALID_REQUEST);
        }
        if (sessionId == null || sessionId.length() > 64 || clientProof.length != 32) {
            return new FinishOutcome.Refused(ActivationProblem.INVALID_REQUEST);
        }
        Instant now = clock.instant();
        Optional<Session> found = jdbc.sql("""
                        SELECT id, token_fk, client_public, server_private_sealed, expires_at
                        FROM authority_activation_session WHERE id = :id""")
                .param("id", sessionId)
                .query((rs, row) -> new Session(rs.getString("id"), rs.getLong("token_fk"), rs.getString("client_public"),
                        rs.getString("server_private_sealed"),
                        rs.getObject("expires_at", java.time.OffsetDateTime.class).toInstant()))
                .optional();
        if (found.isEmpty()) {
            audit.record(AuditEvent.of("ACTIVATION_REFUSED", "device").from(address)
                    .detail("reason", ActivationProblem.SESSION_EXPIRED.code()));
            return new FinishOutcome.Refused(ActivationProblem.SESSION_EXPIRED);
        }
        Session session = found.get();
        // Serialises every finish of this token: parallel guesses cannot outrun the wrong-password counter.
        TokenRow token = store.lockAndRead(session.tokenId()).orElseThrow();
        int consumed = jdbc.sql("DELETE FROM authority_activation_session WHERE id = :id").param("id", sessionId).update();
        if (consumed == 0 || !now.isBefore(session.expiresAt())) {
            audit.record(AuditEvent.of("ACTIVATION_REFUSED", "device").subject(token.subject()).from(address)
                    .detail("reason", ActivationProblem.SESSION_EXPIRED.code()));
            return new FinishOutcome.Refused(ActivationProblem.SESSION_EXPIRED);
        }
        token = store.expireIfDue(token, "device", address);
        Optional<ActivationProblem> unavailable = unavailable(token);
        if (unavailable.isPresent()) {
            audit.record(AuditEvent.of("ACTIVATION_REFUSED", "device").subject(token.subject()).from(address)
                    .detail("reason", unavailable.get().code()));
            return new FinishOutcome.Refused(unavailable.get());
        }
        byte[] b = secrets.open(session.serverPrivateSealed(), SealedTokenValues.EXCHANGE + sessionId);
        byte[] verifier = secrets.open(token.verifierSealed(), SealedTokenValues.VERIFIER + token.id());
        Optional<SrpServer.Confirmation> confirmation;
        try {
            confirmation = new SrpServer(token.identity(), HexFormat.of().parseHex(token.srpSalt()), verifier, b)
                    .verify(session.clientPublic(), clientProof);
        } finally {
            Arrays.fill(b, (byte) 0);
            Arrays.fill(verifier, (byte) 0);
        }
        if (confirmation.isEmpty()) {
            return wrongPassword(token, address, now);
        }
        byte[] seed = confirmation.get().deriveSeed(token.parameters());
        byte[] statusKey = confirmation.get().statusKey();
        String sealedSeed;
        String sealedStatusKey;
        try {
            sealedSeed = secrets.seal(seed, SealedTokenValues.SEED + token.id());
            sealedStatusKey = secrets.seal(statusKey, TokenStatusAnswers.context(token.id()));
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(statusKey, (byte) 0);
        }
        int activated = jdbc.sql("""
                        UPDATE authority_token SET state = 'ACTIVE', activated_at = :now, seed_sealed = :seed,
                               seed_key_id = :keyId, status_key_sealed = :statusKey,
                               srp_salt = NULL, srp_verifier_sealed = NULL
                        WHERE id = :id AND state = 'ISSUED'""")
                .param("now", TokenStore.utc(now))
                .param("seed", sealedSeed)
                .param("statusKey", sealedStatusKey)
                .param("keyId", sealedSeed.substring(0, sealedSeed.indexOf(':')))
                .param("id", token.id())
                .update();
        if (activated == 0) {
            return new FinishOutcome.Refused(ActivationProblem.ALREADY_ACTIVATED);
        }
        store.deleteSessions(token.id());
        audit.record(AuditEvent.of("TOKEN_ACTIVATED", "device").subject(token.subject()).from(address));
        events.publishEvent(new TokenActivated(token.serviceId(), token.serviceName(), token.userId(),
                token.mailAddress(), token.locale(), now));
        String serverTime = AnswerAuthentication.time(clock.instant());
        return new FinishOutcome.Activated(HexFormat.of().formatHex(confirmation.get().serverProof()),
                token.serviceId(), token.userId(), token.serviceName(), token.parameters(), serverTime,
                confirmation.get().finishMac(token.serviceId().digits(), token.userId().digits(), token.serviceName(),
                        token.parameters(), serverTime));
    }

    private static String wrongPasswordKey(TokenRow token) {
        return "activation-wrong:" + token.id();
    }

    private FinishOutcome wrongPassword(TokenRow token, String address, Instant now) {
        limiter.record(wrongPasswordKey(token), properties.perTokenPerHour(), HOUR);
        int limit = properties.maxWrongPasswords();
        jdbc.sql("""
                        UPDATE authority_token
                        SET wrong_activations = wrong_activations + 1,
                            state = CASE WHEN wrong_activations + 1 >= :limit THEN 'VOIDED' ELSE state END,
                            void_reason = CASE WHEN wrong_activations + 1 >= :limit THEN 'WRONG_PASSWORD' ELSE void_reason END,
                            ended_at = CASE WHEN wrong_activations + 1 >= :limit THEN :now ELSE ended_at END
                        WHERE id = :id AND state = 'ISSUED'""")
                .param("limit", limit)
                .param("now", TokenStore.utc(now))
                .param("id", token.id())
                .update();
        TokenRow after = store.read(token.id()).orElseThrow();
        audit.record(AuditEvent.of("ACTIVATION_WRONG_PASSWORD", "device").subject(token.subject()).from(address)
                .detail("wrongActivations", Integer.toString(after.wrongActivations())));
        if (after.state() == TokenState.VOIDED) {
            jdbc.sql("UPDATE authority_token SET srp_salt = NULL, srp_verifier_sealed = NULL WHERE id = :id")
                    .param("id", token.id())
                    .update();
            store.deleteSessions(token.id());
            audit.record(AuditEvent.of("TOKEN_VOIDED", "device").subject(token.subject()).from(address)
                    .detail("reason", "WRONG_PASSWORD").detail("previousState", "ISSUED"));
            return new FinishOutcome.Refused(ActivationProblem.ACTIVATION_VOIDED);
        }
        return new FinishOutcome.WrongPassword(Math.max(0, limit - after.wrongActivations()));
    }

    private static Optional<ActivationProblem> unavailable(TokenRow token) {
        return switch (token.state()) {
            case ISSUED -> Optional.empty();
            case ACTIVE, LOCKED -> Optional.of(ActivationProblem.ALREADY_ACTIVATED);
            case EXPIRED -> Optional.of(ActivationProblem.ACTIVATION_EXPIRED);
            case VOIDED -> Optional.of(ActivationProblem.ACTIVATION_VOIDED);
            case REVOKED -> Optional.of(ActivationProblem.TOKEN_NOT_FOUND);
        };
    }

    private static String newSessionId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record Session(String id, long tokenId, String clientPublic, String serverPrivateSealed, Instant expiresAt) {

        @Override
        public String toString() {
            return "Session[" + tokenId + "]";
        }
    }
}
