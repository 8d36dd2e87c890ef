package io.kagi.confirmation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one-time form of a confirm → execute step (the TERASOLUNA transaction-token idea, enforced by
 * the database). The confirm screen {@linkplain #hold holds} the operation it shows, on the server,
 * under a fresh random form token that goes into the page; the execute step {@linkplain #take takes}
 * it back with a conditional DELETE in the transaction of the change. So
 * <ul>
 *   <li>of any number of submissions of one form, on any number of nodes, exactly one finds the
 *       operation; the others find nothing and answer "already done" (a concurrent one waits for
 *       the row lock of the first and then finds the row gone);</li>
 *   <li>what is carried out is what the confirm screen showed: the operation comes from this
 *       table, never from the fields of the execute request;</li>
 *   <li>if the change fails and its transaction rolls back, the form is still there to be sent again.</li>
 * </ul>
 * Only the SHA-256 of a form token is stored. A form is its owner's alone (a token of another user
 * or operator finds nothing) and lasts {@code kagi.forms.validity} (30 minutes by default: longer
 * than the session's idle timeout). Operations are records, stored as JSON; they hold no secrets
 * (no passwords, no codes). Thread-safe.
 */
@Component
class OneTimeForms {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration validity;
    private final SecureRandom random = new SecureRandom();

    OneTimeForms(JdbcClient jdbc, JsonMapper json, Clock clock,
                 @Value("${kagi.forms.validity:PT30M}") Duration validity) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.validity = validity;
    }

    /** Holds {@code operation} for {@code owner}'s {@code step} and returns the form token for the page. */
    @Transactional(propagation = Propagation.REQUIRED)
    String hold(String owner, String step, Record operation) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("""
                        INSERT INTO one_time_form (token_hash, owner, step, payload, expires_at)
                        VALUES (:hash, :owner, :step, :payload, :expires)""")
                .param("hash", hash(token)).param("owner", owner).param("step", step)
                .param("payload", json.writeValueAsString(operation))
                .param("expires", now().plus(validity))
                .update();
        return token;
    }

    /**
     * The operation held under {@code token} for {@code owner}'s {@code step}, removed in the
     * caller's transaction (which must exist); empty when there is none: already taken, expired,
     * another owner's or step's, or never issued. A submission that meets another one taking the
     * same form at that moment (the database's lock wait ran out) also finds nothing.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    <T extends Record> Optional<T> take(String owner, String step, String token, Class<T> type) {
        if (token == null || token.isEmpty() || token.length() > 64) {
            return Optional.empty();
        }
        String hash = hash(token);
        Optional<String> payload = jdbc.sql("""
                        SELECT payload FROM one_time_form
                        WHERE token_hash = :hash AND owner = :owner AND step = :step AND expires_at > :now""")
                .param("hash", hash).param("owner", owner).param("step", step).param("now", now())
                .query(String.class).optional();
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        int taken;
        try {
            // The row never changes once written, so the payload read above is the one deleted here.
            taken = jdbc.sql("DELETE FROM one_time_form WHERE token_hash = :hash AND owner = :owner AND step = :step")
                    .param("hash", hash).param("owner", owner).param("step", step).update();
        } catch (PessimisticLockingFailureException busy) {
            return Optional.empty();
        }
        return taken == 1 ? Optional.of(json.readValue(payload.get(), type)) : Optional.empty();
    }

    /** Removes forms past their validity (they can no longer be taken anyway). */
    @Scheduled(fixedDelayString = "${kagi.forms.cleanup-interval:PT10M}", initialDelayString = "${kagi.forms.cleanup-interval:PT10M}")
    @Transactional
    void removeExpired() {
        jdbc.sql("DELETE FROM one_time_form WHERE expires_at <= :now").param("now", now()).update();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
