package io.kagi.console;

import java.util.Optional;
import java.util.function.Function;

import io.kagi.confirmation.Confirmations;
import io.kagi.confirmation.Confirmations.Confirmer;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The console's configuration of the shared confirm → execute step: an operator confirms as the
 * owner {@code console:<operator id>} with their own token at the console's service. The area
 * services call {@link #carryOut} inside the transaction of their change.
 */
@Component
class OperatorConfirmations {

    private final Confirmations confirmations;
    private final OperatorTokens tokens;

    OperatorConfirmations(Confirmations confirmations, OperatorTokens tokens) {
        this.confirmations = confirmations;
        this.tokens = tokens;
    }

    Confirmer confirmer(OperatorAccount operator, String address) {
        return new Confirmer("console:" + operator.id(), tokens.service(), OperatorTokens.accountOf(operator),
                operator.actor(), null, address);
    }

    /** Holds what the confirm screen of {@code step} shows; returns the form token for the page. */
    String hold(OperatorAccount operator, String address, String step, Record operation) {
        return confirmations.hold(confirmer(operator, address), step, operation);
    }

    /**
     * Takes the form, checks {@code code} and, only when both are good, makes the change, all in
     * the caller's transaction (which commits whatever the outcome, so refusals stay recorded).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    <O extends Record, R> Execution<O, R> carryOut(OperatorAccount operator, String address, String step,
                                                   String formToken, String code, Class<O> type,
                                                   Function<O, R> change) {
        return confirmations.execute(confirmer(operator, address), step, formToken, code, type,
                operation -> Optional.of(change.apply(operation)));
    }

    /** Takes a one-step form (no code asked) in the caller's transaction; empty when it was already sent. */
    @Transactional(propagation = Propagation.MANDATORY)
    <O extends Record> Optional<O> takeWithoutCode(OperatorAccount operator, String address, String step,
                                                   String formToken, Class<O> type) {
        return confirmations.takeWithoutCode(confirmer(operator, address), step, formToken, type);
    }
}
