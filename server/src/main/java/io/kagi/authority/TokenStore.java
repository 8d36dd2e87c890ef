package io.kagi.authority;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL the token use cases share. Plain SQL that runs on H2 (PostgreSQL mode) and PostgreSQL. */
@Component
class TokenStore {

    private static final String SELECT = """
            SELECT t.id, t.account_fk, a.service_fk, s.service_id, s.name AS service_name, a.user_id, a.account_ref,
                   t.state, t.mail_address, t.locale, t.otp_algorithm, t.otp_digits, t.otp_step_seconds, t.srp_salt,
                   t.srp_verifier_sealed, t.wrong_activations, t.activation_deadline, t.seed_sealed,
                   t.last_accepted_step, t.consecutive_failures, t.issued_at, t.activated_at, t.locked_at, t.revoked_at
            FROM authority_token t
            JOIN authority_account a ON a.id = t.account_fk
            JOIN authority_service s ON s.id = a.service_fk
            """;

    private static final String SELECT_WITH_POLICY = SELECT.replace("FROM authority_token t", """
            , s.otp_algorithm AS policy_otp_algorithm, s.otp_digits AS policy_otp_digits,
                   s.otp_step_seconds AS policy_otp_step_seconds, s.otp_window AS policy_otp_window,
                   s.lock_threshold AS policy_lock_threshold, s.activation_validity_hours AS policy_activation_validity_hours,
                   s.revoke_cooling_off_minutes AS policy_revoke_cooling_off_minutes, s.otp_at_login AS policy_otp_at_login
            FROM authority_token t""");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;

    TokenStore(JdbcClient jdbc, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    Optional<TokenRow> latestOfAccount(long serviceFk, AccountRef account) {
        return jdbc.sql(SELECT + " WHERE a.service_fk = :service AND a.account_ref = :ref ORDER BY t.id DESC LIMIT 1")
                .param("service", serviceFk)
                .param("ref", account.value())
                .query(TokenStore::row)
                .optional();
    }

    /** An account's latest token with its service's policy, in one query (the verify path: one round trip fewer). */
    record TokenWithPolicy(TokenRow token, ServicePolicy policy) {
    }

    Optional<TokenWithPolicy> latestOfAccountWithPolicy(ServiceId serviceId, AccountRef account) {
        return jdbc.sql(SELECT_WITH_POLICY + " WHERE s.service_id = :service AND a.account_ref = :ref ORDER BY t.id DESC LIMIT 1")
                .param("service", serviceId.digits())
                .param("ref", account.value())
                .query((rs, rowNumber) -> new TokenWithPolicy(row(rs, rowNumber), Services.policy(rs, "policy_")))
                .optional();
    }

    Optional<TokenRow> latestOfUser(ServiceId serviceId, UserId userId) {
        return jdbc.sql(SELECT + " WHERE s.service_id = :service AND a.user_id = :user ORDER BY t.id DESC LIMIT 1")
                .param("service", serviceId.digits())
                .param("user", userId.digits())
                .query(TokenStore::row)
                .optional();
    }

    /** The token, its row locked until the transaction ends (serialises its activation). */
    Optional<TokenRow> lockAndRead(long tokenId) {
        jdbc.sql("SELECT id FROM authority_token WHERE id = :id FOR UPDATE").param("id", tokenId).query(Long.class).optional();
        return jdbc.sql(SELECT + " WHERE t.id = :id").param("id", tokenId).query(TokenStore::row).optional();
    }

    Optional<TokenRow> read(long tokenId) {
        return jdbc.sql(SELECT + " WHERE t.id = :id").param("id", tokenId).query(TokenStore::row).optional();
    }

    /** Marks a pending token past its deadline EXPIRED (once, audited) and returns it as it now is. */
    TokenRow expireIfDue(TokenRow token, String actor, String address) {
        Instant now = clock.instant();
        if (!token.pendingPast(now)) {
            return token;
        }
        int updated = jdbc.sql("""
                        UPDATE authority_token SET state = 'EXPIRED', ended_at = :now, srp_salt = NULL,
                               srp_verifier_sealed = NULL
                        WHERE id = :id AND state = 'ISSUED' AND activation_deadline <= :now""")
                .param("now", utc(now))
                .param("id", token.id())
                .update();
        if (updated == 1) {
            deleteSessions(token.id());
            audit.record(AuditEvent.of("TOKEN_EXPIRED", actor).subject(token.subject()).from(address));
        }
        return read(token.id()).orElseThrow();
    }

    /** Ends a pending token, or an active or locked one that a new issuance replaces, as VOIDED. */
    boolean voidToken(TokenRow token, String reason, String actor, String address) {
        int updated = jdbc.sql("""
                        UPDATE authority_token SET state = 'VOIDED', void_reason = :reason, ended_at = :now,
                               srp_salt = NULL, srp_verifier_sealed = NULL, seed_sealed = NULL, seed_key_id = NULL
                        WHERE id = :id AND state IN ('ISSUED', 'ACTIVE', 'LOCKED')""")
                .param("reason", reason)
                .param("now", utc(clock.instant()))
                .param("id", token.id())
                .update();
        if (updated == 1) {
            deleteSessions(token.id());
            audit.record(AuditEvent.of("TOKEN_VOIDED", actor).subject(token.subject()).from(address)
                    .detail("reason", reason).detail("previousState", token.state().name()));
        }
        return updated == 1;
    }

    void deleteSessions(long tokenId) {
        jdbc.sql("DELETE FROM authority_activation_session WHERE token_fk = :id").param("id", tokenId).update();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static TokenRow row(ResultSet rs, int rowNumber) throws SQLException {
        long lastStep = rs.getLong("last_accepted_step");
        Long lastAcceptedStep = rs.wasNull() ? null : lastStep;
        return new TokenRow(rs.getLong("id"), rs.getLong("account_fk"), rs.getLong("service_fk"),
                new ServiceId(rs.getString("service_id")), rs.getString("service_name"),
                new UserId(rs.getString("user_id")), rs.getString("account_ref"),
                TokenState.valueOf(rs.getString("state")), rs.getString("mail_address"),
                Locale.forLanguageTag(rs.getString("locale")), rs.getString("otp_algorithm"), rs.getInt("otp_digits"),
                rs.getInt("otp_step_seconds"), rs.getString("srp_salt"), rs.getString("srp_verifier_sealed"),
                rs.getInt("wrong_activations"), instant(rs, "activation_deadline"), rs.getString("seed_sealed"),
                lastAcceptedStep, rs.getInt("consecutive_failures"), instant(rs, "issued_at"),
                instant(rs, "activated_at"), instant(rs, "locked_at"), instant(rs, "revoked_at"));
    }
}
