package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kagi.audit.AuditEvent;
import io.kagi.authority.ApiSecret;
import io.kagi.audit.AuditLog;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * Dual control (four eyes) for the console's sensitive changes (承認待ち): the maker's confirmed
 * operation waits in {@code console_pending_change} until a second operator of the kind's role
 * approves it with their own fresh OTP; then, and only then, it takes effect. The maker can never
 * approve or reject their own change, and can withdraw it while it waits.
 *
 * <p>Every step (made {@code CHANGE_PROPOSED}, approved {@code CHANGE_APPROVED}, rejected
 * {@code CHANGE_REJECTED}, withdrawn {@code CHANGE_WITHDRAWN}) is one audit row naming its actor, in
 * the transaction of the step. A decision is a conditional UPDATE from {@code WAITING}: of any number
 * of operators deciding one change at the same moment exactly one succeeds (the others wait for its
 * row lock and then find it decided), so an approved change takes effect once.
 *
 * <p>The kinds are the beans of {@link ApprovalKind}.
 */
@Service
public class PendingChanges {

    static final String DECIDE = "pending-decision";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final AuditLog audit;
    private final OperatorConfirmations confirmations;
    private final Map<String, ApprovalKind<?>> kinds;

    PendingChanges(JdbcClient jdbc, JsonMapper json, Clock clock, AuditLog audit, OperatorConfirmations confirmations,
                   List<ApprovalKind<?>> kinds) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.audit = audit;
        this.confirmations = confirmations;
        this.kinds = kinds.stream().collect(Collectors.toUnmodifiableMap(ApprovalKind::name, Function.identity()));
    }

    /** One fact of a waiting change as the approval page shows it; {@code translated}: the value is a message key. */
    public record Fact(String labelKey, String value, boolean translated) {

        static Fact text(String labelKey, String value) {
            return new Fact(labelKey, value, false);
        }

        static Fact message(String labelKey, String valueKey) {
            return new Fact(labelKey, valueKey, true);
        }
    }

    /**
     * What an approved change gave: {@code messageKey} for the approver, and a secret to be shown to
     * them once: a temporary password ({@code shownOnce}) or a relying party's new API secret
     * ({@code apiSecret}); both null for most kinds. Neither is ever stored.
     */
    public record Applied(String messageKey, String shownOnce, ApiSecret apiSecret) {

        Applied(String messageKey, String shownOnce) {
            this(messageKey, shownOnce, null);
        }

        static Applied of(String messageKey) {
            return new Applied(messageKey, null, null);
        }

        static Applied secret(String messageKey, ApiSecret apiSecret) {
            return new Applied(messageKey, null, apiSecret);
        }

        @Override
        public String toString() {
            return "Applied[messageKey=" + messageKey + ", shownOnce=" + (shownOnce == null ? "none" : "(hidden)")
                    + ", apiSecret=" + (apiSecret == null ? "none" : "(hidden)") + "]";
        }
    }

    /** A change waiting for approval. */
    public record Waiting(long id, String kind, long makerId, String maker, Instant madeAt, List<Fact> facts) {
    }

    /** The maker's confirmed change is waiting as {@code changeId}. */
    public record Proposed(long changeId) {
    }

    /** What an operator does with a waiting change. */
    public enum Verdict { APPROVE, REJECT, WITHDRAW }

    /** A decision as confirmed. */
    public record Decision(long changeId, Verdict verdict) {
        public Decision {
            if (verdict == null) {
                throw new IllegalArgumentException("A verdict is required");
            }
        }
    }

    /** What became of a decision. */
    public sealed interface Decided {

        /** Approved: the change took effect (as {@code applied} says). */
        record Approved(Applied applied) implements Decided {
        }

        /** Rejected: the change will never take effect. */
        record Rejected() implements Decided {
        }

        /** Withdrawn by its maker. */
        record Withdrawn() implements Decided {
        }

        /** Someone decided it meanwhile (or it never existed): nothing happened. */
        record NoLongerWaiting() implements Decided {
        }

        /** This operator may not take this decision ({@code messageKey} says why): nothing happened. */
        record NotAllowed(String messageKey) implements Decided {
        }
    }

    /**
     * Records {@code operation}, confirmed by {@code maker}, as waiting for approval, with its audit
     * row, in the caller's transaction (the maker's execute step).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    <O extends Record> Proposed propose(ApprovalKind<O> kind, O operation, OperatorAccount maker, String address) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO console_pending_change (kind, operation, maker_id, maker, made_at, state)
                        VALUES (:kind, :operation, :makerId, :maker, :now, 'WAITING')""")
                .param("kind", kind.name()).param("operation", json.writeValueAsString(operation))
                .param("makerId", maker.id()).param("maker", maker.actor()).param("now", now())
                .update(keys, "id");
        long id = keys.getKeyAs(Long.class);
        audit.record(AuditEvent.of("CHANGE_PROPOSED", maker.actor()).subject("change:" + id).from(address)
                .detail("kind", kind.name()));
        return new Proposed(id);
    }

    /** The changes waiting for approval, oldest first. */
    public List<Waiting> waiting(int limit) {
        return jdbc.sql("""
                        SELECT id, kind, operation, maker_id, maker, made_at FROM console_pending_change
                        WHERE state = 'WAITING' ORDER BY made_at, id LIMIT :limit""")
                .param("limit", limit)
                .query((row, number) -> waiting(row.getLong("id"), row.getString("kind"), row.getString("operation"),
                        row.getLong("maker_id"), row.getString("maker"),
                        row.getObject("made_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    public Optional<Waiting> find(long id) {
        return jdbc.sql("""
                        SELECT id, kind, operation, maker_id, maker, made_at FROM console_pending_change
                        WHERE id = :id AND state = 'WAITING'""")
                .param("id", id)
                .query((row, number) -> waiting(row.getLong("id"), row.getString("kind"), row.getString("operation"),
                        row.getLong("maker_id"), row.getString("maker"),
                        row.getObject("made_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Why {@code operator} may not take {@code verdict} on {@code change} (a console message key), or empty. */
    public Optional<String> refusal(OperatorAccount operator, Waiting change, Verdict verdict) {
        boolean own = change.makerId() == operator.id();
        if (verdict == Verdict.WITHDRAW) {
            return own ? Optional.empty() : Optional.of("console.pending.notYours");
        }
        if (own) {
            return Optional.of("console.pending.ownChange");
        }
        return operator.role() == kind(change.kind()).approverRole() ? Optional.empty()
                : Optional.of("console.pending.roleRequired");
    }

    public String holdDecision(OperatorAccount operator, String address, Decision decision) {
        return confirmations.hold(operator, address, DECIDE, decision);
    }

    /** Takes the confirmed decision with the operator's fresh OTP. */
    @Transactional
    public Execution<Decision, Decided> decide(OperatorAccount operator, String address, String formToken, String code) {
        return confirmations.carryOut(operator, address, DECIDE, formToken, code, Decision.class,
                decision -> decide(operator, address, decision));
    }

    private Decided decide(OperatorAccount operator, String address, Decision decision) {
        Optional<Waiting> change = find(decision.changeId());
        if (change.isEmpty()) {
            return new Decided.NoLongerWaiting();
        }
        Optional<String> refused = refusal(operator, change.get(), decision.verdict());
        if (refused.isPresent()) {
            return new Decided.NotAllowed(refused.get());
        }
        String state = switch (decision.verdict()) {
            case APPROVE -> "APPROVED";
            case REJECT -> "REJECTED";
            case WITHDRAW -> "WITHDRAWN";
        };
        // The maker condition is checked again in the statement that decides.
        String maker = decision.verdict() == Verdict.WITHDRAW ? "maker_id = :operator" : "maker_id <> :operator";
        int decided = jdbc.sql("UPDATE console_pending_change SET state = :state, decided_by = :actor, decided_at = :now"
                        + " WHERE id = :id AND state = 'WAITING' AND " + maker)
                .param("state", state).param("actor", operator.actor()).param("now", now())
                .param("id", decision.changeId()).param("operator", operator.id())
                .update();
        if (decided != 1) {
            return new Decided.NoLongerWaiting();
        }
        audit.record(AuditEvent.of("CHANGE_" + state, operator.actor()).subject("change:" + decision.changeId())
                .from(address).detail("kind", change.get().kind()).detail("maker", change.get().maker()));
        return switch (decision.verdict()) {
            case APPROVE -> {
                Applied applied = apply(kind(change.get().kind()), decision.changeId(), change.get().maker(), operator,
                        address);
                jdbc.sql("UPDATE console_pending_change SET outcome = :outcome WHERE id = :id")
                        .param("outcome", applied.messageKey()).param("id", decision.changeId()).update();
                yield new Decided.Approved(applied);
            }
            case REJECT -> new Decided.Rejected();
            case WITHDRAW -> new Decided.Withdrawn();
        };
    }

    private <O extends Record> Applied apply(ApprovalKind<O> kind, long id, String maker, OperatorAccount approver,
                                             String address) {
        return kind.apply(operation(kind, id), maker, approver, address);
    }

    private <O extends Record> O operation(ApprovalKind<O> kind, long id) {
        String stored = jdbc.sql("SELECT operation FROM console_pending_change WHERE id = :id").param("id", id)
                .query(String.class).single();
        return json.readValue(stored, kind.operationType());
    }

    private Waiting waiting(long id, String kindName, String operation, long makerId, String maker, Instant madeAt) {
        return new Waiting(id, kindName, makerId, maker, madeAt, facts(kind(kindName), operation));
    }

    private <O extends Record> List<Fact> facts(ApprovalKind<O> kind, String operation) {
        return kind.facts(json.readValue(operation, kind.operationType()));
    }

    private ApprovalKind<?> kind(String name) {
        ApprovalKind<?> kind = kinds.get(name);
        if (kind == null) {
            throw new IllegalStateException("A pending change of an unknown kind: " + name);
        }
        return kind;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
