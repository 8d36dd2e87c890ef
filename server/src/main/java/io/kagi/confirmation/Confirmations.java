package io.kagi.confirmation;

import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Tokens;
import io.kagi.authority.VerificationResult;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The confirm → execute step of every change in the portal and the console. The confirm screen
 * {@linkplain #hold holds} the operation it shows (on the server, under a one-time form token); the
 * execute step, inside the transaction of the change, {@linkplain #take takes} it back and checks
 * the fresh one-time password of the person's own token. So a change happens exactly once however
 * often and however fast its form is sent, it is exactly what was confirmed, and every change costs
 * a new code (the authority accepts a code once).
 *
 * <p>Every refusal is in the audit log: a form sent again ({@code DOUBLE_SUBMIT_REFUSED}), a wrong
 * or replayed code ({@code OTP_REJECTED}), a locked or unusable token ({@code OTP_LOCKED},
 * {@code OTP_REFUSED}).
 */
@Service
public class Confirmations {

    private final OneTimeForms forms;
    private final Tokens tokens;
    private final AuditLog audit;

    Confirmations(OneTimeForms forms, Tokens tokens, AuditLog audit) {
        this.forms = forms;
        this.tokens = tokens;
        this.audit = audit;
    }

    /**
     * Who confirms: {@code owner} keys their forms ({@code "bizweb:42"}, {@code "console:7"}); their
     * token is {@code account} of {@code service}; {@code actor}, {@code companyId} (null for the
     * bank's operators) and {@code address} go into the audit log.
     */
    public record Confirmer(String owner, ServiceId service, AccountRef account, String actor, Long companyId,
                            String address) {

        AuditEvent event(String type) {
            return AuditEvent.of(type, actor).company(companyId).subject(subject()).from(address);
        }

        String subject() {
            return owner.startsWith("console:") ? actor : "user:" + actor;
        }
    }

    /** What the execute step may do with the operation it took. */
    public sealed interface Outcome<T extends Record> {

        /** The form was there and the code right: carry out {@code operation}, in this transaction. */
        record Proceed<T extends Record>(T operation) implements Outcome<T> {
        }

        /** The form was already sent (or never shown, or expired): nothing happens. */
        record AlreadyDone<T extends Record>() implements Outcome<T> {
        }

        /**
         * The code was wrong, already used or malformed ({@code messageKey}, {@code attemptsLeft} before the
         * lock, -1 when the code was never checked): show the confirm screen again with {@code formToken}, a new form
         * holding the same {@code operation}.
         */
        record WrongCode<T extends Record>(T operation, String formToken, String messageKey, int attemptsLeft)
                implements Outcome<T> {
        }

        /** The token is locked (now or before) or cannot give codes: the operation is refused. */
        record Refused<T extends Record>(boolean locked) implements Outcome<T> {
        }
    }

    /** Holds the operation a confirm screen shows; the returned form token goes into the page. */
    @Transactional
    public String hold(Confirmer confirmer, String step, Record operation) {
        return forms.hold(confirmer.owner(), step, operation);
    }

    /**
     * Takes the operation of a one-step form (no code asked, e.g. a token issuance or a password
     * change) in the caller's transaction; empty, and recorded, when it was already sent.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record> Optional<T> takeWithoutCode(Confirmer confirmer, String step, String formToken, Class<T> type) {
        Optional<T> operation = forms.take(confirmer.owner(), step, formToken, type);
        if (operation.isEmpty()) {
            audit.record(confirmer.event("DOUBLE_SUBMIT_REFUSED").detail("step", step));
        }
        return operation;
    }

    /**
     * Takes the operation held under {@code formToken} and checks {@code code}, in the caller's
     * transaction (which must exist and should commit whatever the outcome, so that refusals and
     * failure counts stay recorded; the change itself is only made on {@link Outcome.Proceed}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record> Outcome<T> take(Confirmer confirmer, String step, String formToken, String code,
                                              Class<T> type) {
        Optional<T> held = takeWithoutCode(confirmer, step, formToken, type);
        if (held.isEmpty()) {
            return new Outcome.AlreadyDone<>();
        }
        T operation = held.get();
        if (code == null || code.isBlank()) {
            return again(confirmer, step, operation, "error.otpRequired", -1);
        }
        if (!code.matches("[0-9]{6,8}")) {
            return again(confirmer, step, operation, "error.otpFormat", -1);
        }
        VerificationResult result = tokens.verify(confirmer.service(), confirmer.account(), code,
                new ClientInfo(confirmer.actor(), confirmer.address()));
        if (result instanceof VerificationResult.Accepted) {
            return new Outcome.Proceed<>(operation);
        }
        if (result instanceof VerificationResult.Rejected rejected) {
            audit.record(confirmer.event("OTP_REJECTED").detail("step", step)
                    .detail("attemptsLeft", String.valueOf(rejected.attemptsLeft())));
            return again(confirmer, step, operation, "error.otpWrong", rejected.attemptsLeft());
        }
        if (result instanceof VerificationResult.AlreadyUsed used) {
            audit.record(confirmer.event("OTP_REFUSED").detail("step", step).detail("reason", "already-used"));
            return again(confirmer, step, operation, "error.otpAlreadyUsed", used.attemptsLeft());
        }
        if (result instanceof VerificationResult.Locked) {
            audit.record(confirmer.event("OTP_LOCKED").detail("step", step));
            return new Outcome.Refused<>(true);
        }
        VerificationResult.NoUsableToken none = (VerificationResult.NoUsableToken) result;
        audit.record(confirmer.event("OTP_REFUSED").detail("step", step)
                .detail("reason", none.state() == null ? "no-token" : none.state().name()));
        return new Outcome.Refused<>(false);
    }

    private <T extends Record> Outcome<T> again(Confirmer confirmer, String step, T operation, String messageKey,
                                                int attemptsLeft) {
        return new Outcome.WrongCode<>(operation, forms.hold(confirmer.owner(), step, operation), messageKey, attemptsLeft);
    }
}
