package io.kagi.bizweb.portal;

import java.util.Optional;
import java.util.function.Function;

import io.kagi.confirmation.Confirmations;
import io.kagi.confirmation.Confirmations.Confirmer;
import io.kagi.confirmation.Execution;

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
     * right, carries it out with {@code change} (which writes its audit row and gives back its
     * result, or nothing when what it applies to changed meanwhile) — all in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record, R> Execution<T, R> execute(PortalAccount user, String address, String step, String formToken,
                                                         String code, Class<T> type, Function<T, Optional<R>> change) {
        return confirmations.execute(confirmer(user, address), step, formToken, code, type, change);
    }

    /**
     * The execute step of a signed operation (取引認証): the signing request held with the operation
     * ({@code reference}) completed by the phone's approval or by {@code code}, the offline code; an
     * operation held without one takes the TOTP code {@code otp}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record, R> Execution<T, R> executeSigned(PortalAccount user, String address, String step,
                                                               String formToken, String code, String otp, Class<T> type,
                                                               Function<T, String> reference,
                                                               Function<T, Optional<R>> change) {
        return confirmations.executeSigned(confirmer(user, address), step, formToken, code, otp, type, reference, change);
    }

    /** The same for a form that asks for no code (a transfer request, a token issuance, a password change). */
    @Transactional(propagation = Propagation.MANDATORY)
    public <T extends Record, R> Execution<T, R> executeWithoutCode(PortalAccount user, String address, String step,
                                                                    String formToken, Class<T> type,
                                                                    Function<T, Optional<R>> change) {
        return confirmations.executeWithoutCode(confirmer(user, address), step, formToken, type, change);
    }
}
