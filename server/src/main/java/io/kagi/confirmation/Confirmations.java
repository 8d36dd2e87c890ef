package io.kagi.confirmation;

import java.util.Optional;
import java.util.function.Function;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.ServiceId;
import io.kagi.authority.SigningOutcome;
import io.kagi.authority.Tokens;
import io.kagi.authority.TransactionSigning;
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
    private final TransactionSigning signing;

    Confirmations(OneTimeForms forms, Tokens tokens, AuditLog audit, TransactionSigning signing) {
        this.forms = forms;
        this.tokens = tokens;
        this.audit = audit;
        this.signing = signing;
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
            if (owner.startsWith("console:")) {
                return actor;
            }
            return owner.startsWith("bizweb:") ? "user:" + actor : owner;
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
     * The execute step: takes the operation held under {@code formToken}, checks {@code code} and,
     * when both are right, carries it out with {@code change} (which writes its audit row and gives
     * back its result, or nothing when what it applies to changed meanwhile) — all in the caller's
     * transaction, which must exist and should commit whatever the outcome, so that refusals and
     * failure counts stay recorded.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record, R> Execution<T, R> execute(Confirmer confirmer, String step, String formToken, String code,
                                                         Class<T> type, Function<T, Optional<R>> change) {
        Optional<T> held = takeWithoutCode(confirmer, step, formToken, type);
        if (held.isEmpty()) {
            return new Execution.AlreadyDone<>();
        }
        return withCode(confirmer, step, held.get(), code, change);
    }

    private <T extends Record, R> Execution<T, R> withCode(Confirmer confirmer, String step, T operation, String code,
                                                           Function<T, Optional<R>> change) {
        if (code == null || code.isBlank()) {
            return again(confirmer, step, operation, "error.otpRequired", -1);
        }
        if (!code.matches("[0-9]{6,8}")) {
            return again(confirmer, step, operation, "error.otpFormat", -1);
        }
        VerificationResult result = tokens.verify(confirmer.service(), confirmer.account(), code,
                new ClientInfo(confirmer.actor(), confirmer.address()));
        if (result instanceof VerificationResult.Accepted) {
            return carryOut(operation, change);
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
            return new Execution.Refused<>(true);
        }
        if (result instanceof VerificationResult.NoUsableToken none) {
            audit.record(confirmer.event("OTP_REFUSED").detail("step", step)
                    .detail("reason", none.state() == null ? "no-token" : none.state().name()));
            return new Execution.Refused<>(false);
        }
        throw new IllegalStateException("A verification result of an unknown kind: " + result.getClass().getName());
    }

    /**
     * The execute step of a signed operation (取引認証, docs/transaction-signing.md): takes the
     * operation held under {@code formToken} and completes its signing request (the reference held
     * with it, never one the browser sends): with {@code code}, the offline code of the payee's
     * account number and amount; without, the phone's approval. Only a signature of exactly the
     * held request carries the operation out; a wrong code counts toward the token's lock. In the
     * caller's transaction, like {@link #execute}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record, R> Execution<T, R> executeSigned(Confirmer confirmer, String step, String formToken,
                                                               String code, String otp, Class<T> type,
                                                               Function<T, String> reference,
                                                               Function<T, Optional<R>> change) {
        Optional<T> held = takeWithoutCode(confirmer, step, formToken, type);
        if (held.isEmpty()) {
            return new Execution.AlreadyDone<>();
        }
        T operation = held.get();
        if (reference.apply(operation) == null) {
            // Confirmed when the policy asked only a TOTP code: that code it is.
            return withCode(confirmer, step, operation, otp, change);
        }
        if (code != null && !code.isBlank() && !code.strip().matches("[0-9]{8}")) {
            return again(confirmer, step, operation, "error.signingFormat", -1);
        }
        SigningOutcome outcome = signing.complete(confirmer.service(), confirmer.account(), reference.apply(operation),
                code == null ? null : code.strip(), new ClientInfo(confirmer.actor(), confirmer.address()));
        if (outcome instanceof SigningOutcome.Signed) {
            return carryOut(operation, change);
        }
        if (outcome instanceof SigningOutcome.Pending) {
            return again(confirmer, step, operation, "error.signingPending", -1);
        }
        if (outcome instanceof SigningOutcome.WrongCode wrong) {
            audit.record(confirmer.event("OTP_REJECTED").detail("step", step).detail("way", "signing")
                    .detail("attemptsLeft", String.valueOf(wrong.attemptsLeft())));
            return again(confirmer, step, operation, "error.signingWrong", wrong.attemptsLeft());
        }
        if (outcome instanceof SigningOutcome.Denied) {
            return again(confirmer, step, operation, "error.signingDenied", -1);
        }
        if (outcome instanceof SigningOutcome.Expired) {
            return again(confirmer, step, operation, "error.signingExpired", -1);
        }
        if (outcome instanceof SigningOutcome.AlreadyUsed) {
            return again(confirmer, step, operation, "error.signingUsed", -1);
        }
        if (outcome instanceof SigningOutcome.NotFound) {
            return again(confirmer, step, operation, "error.signingUnknown", -1);
        }
        if (outcome instanceof SigningOutcome.Locked) {
            audit.record(confirmer.event("OTP_LOCKED").detail("step", step));
            return new Execution.Refused<>(true);
        }
        if (outcome instanceof SigningOutcome.NoUsableToken) {
            return new Execution.Refused<>(false);
        }
        throw new IllegalStateException("A signing outcome of an unknown kind: " + outcome.getClass().getName());
    }

    /** The execute step of a one-step form that asks for no code (a transfer request, a token issuance, a password change). */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record, R> Execution<T, R> executeWithoutCode(Confirmer confirmer, String step, String formToken,
                                                                    Class<T> type, Function<T, Optional<R>> change) {
        return takeWithoutCode(confirmer, step, formToken, type)
                .map(operation -> carryOut(operation, change))
                .orElseGet(Execution.AlreadyDone::new);
    }

    private static <T extends Record, R> Execution<T, R> carryOut(T operation, Function<T, Optional<R>> change) {
        return change.apply(operation).<Execution<T, R>>map(result -> new Execution.Done<>(operation, result))
                .orElseGet(() -> new Execution.ChangedMeanwhile<>(operation));
    }

    private <T extends Record, R> Execution<T, R> again(Confirmer confirmer, String step, T operation, String messageKey,
                                                        int attemptsLeft) {
        return new Execution.WrongCode<>(operation, forms.hold(confirmer.owner(), step, operation), messageKey, attemptsLeft);
    }
}
