package io.kagi.bizweb.web;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.VerificationResult;

import org.springframework.stereotype.Component;
import org.springframework.validation.Errors;

/**
 * The fresh one-time password of a confirm screen: every change of a payee, an approval, another
 * user or their token asks the acting user for a new code from their own token, verified by the
 * token authority. The authority accepts a code once (a code used for one operation is refused for
 * the next), and every wrong code counts towards the token's lock.
 */
@Component
class FreshOtp {

    private final PortalTokens tokens;
    private final AuditLog audit;

    FreshOtp(PortalTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** The outcome of a confirm screen's code. */
    sealed interface Check {
        /** The code was right and unused: go ahead. */
        record Accepted() implements Check {
        }

        /** Wrong, replayed or malformed: the error is on the form's {@code otp} field; show the confirm screen again. */
        record Wrong() implements Check {
        }

        /** The token is locked (now or before) or not usable: the operation is refused; go to {@code redirect}. */
        record Refused(String redirect) implements Check {
        }
    }

    /**
     * Checks {@code code} for {@code user}'s token. {@code screen} names the confirm screen in the
     * audit log, {@code function} the refusal page's function.
     */
    Check check(PortalAccount user, String code, String address, String screen, String function, Errors errors) {
        if (!Fields.required(errors, "otp", code)) {
            return new Check.Wrong();
        }
        if (!code.matches("[0-9]{6,8}")) {
            errors.rejectValue("otp", "error.otpFormat");
            return new Check.Wrong();
        }
        VerificationResult result = tokens.verify(user, code, address);
        String subject = "user:" + user.loginId();
        if (result instanceof VerificationResult.Accepted) {
            return new Check.Accepted();
        }
        if (result instanceof VerificationResult.Rejected rejected) {
            audit.record(AuditEvent.of("OTP_REJECTED", user.loginId()).company(user.companyId()).subject(subject)
                    .from(address).detail("screen", screen).detail("attemptsLeft", String.valueOf(rejected.attemptsLeft())));
            errors.rejectValue("otp", "error.otpWrong");
            return new Check.Wrong();
        }
        if (result instanceof VerificationResult.Locked) {
            audit.record(AuditEvent.of("OTP_LOCKED", user.loginId()).company(user.companyId()).subject(subject)
                    .from(address).detail("screen", screen));
        }
        return new Check.Refused("redirect:/bizweb/refused?function=" + function);
    }
}
