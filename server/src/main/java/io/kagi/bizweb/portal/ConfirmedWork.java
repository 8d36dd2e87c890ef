package io.kagi.bizweb.portal;

import java.util.OptionalLong;
import java.util.function.Function;

import io.kagi.confirmation.Confirmations;
import io.kagi.confirmation.Confirmations.Confirmer;
import io.kagi.confirmation.Confirmations.Outcome;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The portal's confirm → execute steps on the shared {@link Confirmations}: a portal user confirms
 * with a fresh code of their own token (the portal's service, account {@code bizweb-user:<id>}), and
 * their forms are keyed {@code bizweb:<id>}. The feature services call {@link #execute} inside the
 * transaction of their change.
 */
@Component
public class ConfirmedWork {

    private final Confirmations confirmations;
    private final PortalTokens tokens;

    ConfirmedWork(Confirmations confirmations, PortalTokens tokens) {
        this.confirmations = confirmations;
        this.tokens = tokens;
    }

    /** What became of an execute step. */
    public sealed interface Execution<T extends Record> {
        /** Carried out, with its audit row; {@code id} of what it made or changed. */
        record Done<T extends Record>(T operation, long id) implements Execution<T> {
        }

        /** The code was right, but what the operation applies to changed since the confirm screen: nothing happened. */
        record ChangedMeanwhile<T extends Record>(T operation) implements Execution<T> {
        }

        /** The form was already sent, or has expired: nothing happened. */
        record AlreadyDone<T extends Record>() implements Execution<T> {
        }

        /** A wrong, used or malformed code: show the confirm screen of {@code operation} again with {@code formToken} and {@code otpError}. */
        record WrongCode<T extends Record>(T operation, String formToken, OtpError otpError) implements Execution<T> {
        }

        /** The user's token is locked or unusable: nothing happened; the refusal page says why. */
        record Refused<T extends Record>() implements Execution<T> {
        }
    }

    Confirmer confirmer(PortalAccount user, String address) {
        return new Confirmer("bizweb:" + user.id(), tokens.service(), PortalTokens.accountOf(user), user.loginId(),
                user.companyId(), address);
    }

    /** Holds what a confirm screen shows; the form token goes into the page. */
    public String hold(PortalAccount user, String address, String step, Record operation) {
        return confirmations.hold(confirmer(user, address), step, operation);
    }

    /**
     * Takes the operation confirmed under {@code formToken}, checks {@code code} and, when both are
     * right, carries it out with {@code change} (which writes its audit row and returns the id of what
     * it changed, or nothing when that changed meanwhile) — all in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record> Execution<T> execute(PortalAccount user, String address, String step, String formToken, String code,
                                            Class<T> type, Function<T, OptionalLong> change) {
        Outcome<T> outcome = confirmations.take(confirmer(user, address), step, formToken, code, type);
        if (outcome instanceof Outcome.Proceed<T> proceed) {
            return carryOut(proceed.operation(), change);
        }
        if (outcome instanceof Outcome.WrongCode<T> wrong) {
            return new Execution.WrongCode<>(wrong.operation(), wrong.formToken(),
                    new OtpError(wrong.messageKey(), wrong.attemptsLeft()));
        }
        if (outcome instanceof Outcome.Refused<T>) {
            return new Execution.Refused<>();
        }
        if (outcome instanceof Outcome.AlreadyDone<T>) {
            return new Execution.AlreadyDone<>();
        }
        throw new IllegalStateException("Unknown outcome " + outcome.getClass().getName());
    }

    /** The same for a form that asks for no code (a transfer request, a token issuance, a password change). */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record> Execution<T> executeWithoutCode(PortalAccount user, String address, String step, String formToken,
                                                       Class<T> type, Function<T, OptionalLong> change) {
        return confirmations.takeWithoutCode(confirmer(user, address), step, formToken, type)
                .map(operation -> carryOut(operation, change))
                .orElseGet(Execution.AlreadyDone::new);
    }

    private static <T extends Record> Execution<T> carryOut(T operation, Function<T, OptionalLong> change) {
        OptionalLong id = change.apply(operation);
        return id.isPresent() ? new Execution.Done<>(operation, id.getAsLong()) : new Execution.ChangedMeanwhile<>(operation);
    }
}
