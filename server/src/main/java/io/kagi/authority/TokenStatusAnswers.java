package io.kagi.authority;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.kagi.activation.AnswerAuthentication;
import io.kagi.platform.SecretsAtRest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The authority's time and a token's state, told only to the token that holds the token's status
 * key (docs/activation-protocol.md §7): the request carries a proof under that key, the answer a
 * MAC under it, so nobody on the path can move the time or fake a state, and nobody without the
 * key learns whether a ユーザID exists. Read-only; thread-safe.
 */
@Service
class TokenStatusAnswers {

    /** A token's versions kept per user that are tried, newest first (re-issues keep the ユーザID). */
    private static final int VERSIONS_TRIED = 5;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecretsAtRest secrets;

    TokenStatusAnswers(JdbcClient jdbc, Clock clock, SecretsAtRest secrets) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** The context a status key is sealed under. */
    static String context(long tokenId) {
        return SealedTokenValues.STATUS_KEY + tokenId;
    }

    sealed interface Outcome {
        /** {@code state} is active, locked, revoked, replaced or voided; {@code serverTime} in its wire form. */
        record Answered(String state, String serverTime, String mac) implements Outcome {
        }

        /** Unknown IDs and a proof that matches no token's key answer alike. */
        record Unknown() implements Outcome {
        }

        record Malformed() implements Outcome {
        }
    }

    private record Candidate(long id, String state, String voidReason, String statusKeySealed) {

        @Override
        public String toString() {
            return "Candidate[" + id + ", " + state + "]";
        }
    }

    @Transactional(readOnly = true)
    public Outcome answer(String serviceId, String userId, String nonce, String proof) {
        if (serviceId == null || !serviceId.matches("[0-9]{8}") || userId == null || !userId.matches("[0-9]{6}")
                || nonce == null || !nonce.matches("[0-9a-f]{32}") || proof == null || !proof.matches("[0-9a-fA-F]{64}")) {
            return new Outcome.Malformed();
        }
        List<Candidate> candidates = jdbc.sql("""
                        SELECT t.id, t.state, t.void_reason, t.status_key_sealed
                        FROM authority_token t
                        JOIN authority_account a ON a.id = t.account_fk
                        JOIN authority_service s ON s.id = a.service_fk
                        WHERE s.service_id = :service AND t.status_key_sealed IS NOT NULL
                          AND (a.user_id = :user OR EXISTS (SELECT 1 FROM authority_retired_user_id r
                                                            WHERE r.account_fk = a.id AND r.service_fk = s.id
                                                              AND r.user_id = :user))
                        ORDER BY t.id DESC LIMIT :versions""")
                .param("service", serviceId)
                .param("user", userId)
                .param("versions", VERSIONS_TRIED)
                .query((rs, row) -> new Candidate(rs.getLong("id"), rs.getString("state"), rs.getString("void_reason"),
                        rs.getString("status_key_sealed")))
                .list();
        byte[] request = AnswerAuthentication.statusRequest(serviceId, userId, nonce);
        for (Candidate candidate : candidates) {
            byte[] key = secrets.open(candidate.statusKeySealed(), context(candidate.id()));
            try {
                if (AnswerAuthentication.verifies(key, request, proof)) {
                    String state = state(candidate);
                    String serverTime = AnswerAuthentication.time(clock.instant());
                    return new Outcome.Answered(state, serverTime, AnswerAuthentication.mac(key,
                            AnswerAuthentication.statusAnswer(serviceId, userId, nonce, state, serverTime)));
                }
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return new Outcome.Unknown();
    }

    private static String state(Candidate candidate) {
        TokenState state = TokenState.valueOf(candidate.state());
        return switch (state) {
            case ACTIVE -> "active";
            case LOCKED -> "locked";
            case REVOKED -> "revoked";
            case VOIDED -> "REISSUED".equals(Optional.ofNullable(candidate.voidReason()).orElse("")) ? "replaced" : "voided";
            // A status key is stored only at activation: these states are never reached with one.
            case ISSUED, EXPIRED -> "voided";
        };
    }
}
