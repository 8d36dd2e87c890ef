package io.kagi.console.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.VerificationResult;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;

/**
 * The confirm → execute step of every change in the console: a one-time form token against double
 * submission (the TERASOLUNA transaction-token idea; stored in the session under the step's name,
 * used up by the first POST) and a fresh OTP of the operator's token, verified by the authority
 * (each code is accepted once, so every change costs a new code).
 */
@Component
class ConsoleConfirmations {

    private static final String PREFIX = "kagi.console.transaction.";
    private final SecureRandom random = new SecureRandom();
    private final OperatorTokens tokens;
    private final AuditLog audit;

    ConsoleConfirmations(OperatorTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    /** What the execute step may do. */
    sealed interface Check {
        /** The form token was current and the code right: go ahead. */
        record Passed() implements Check {
        }

        /** A second submission of the same form (or none shown): do nothing. */
        record DoubleSubmit() implements Check {
        }

        /** The code was wrong, replayed or missing, or the token cannot give one: show the confirm screen again. */
        record CodeRefused(String messageKey) implements Check {
        }
    }

    /** A fresh form token for {@code step}, replacing any earlier one. */
    String issue(HttpSession session, String step) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(PREFIX + step, token);
        return token;
    }

    /** Whether {@code presented} is the current form token of {@code step}; used up either way. */
    boolean consume(HttpSession session, String step, String presented) {
        Object expected = session.getAttribute(PREFIX + step);
        session.removeAttribute(PREFIX + step);
        return expected instanceof String token && presented != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** Uses up the form token of {@code step} and verifies {@code otp}; records refusals in the audit log. */
    Check check(OperatorAccount operator, HttpSession session, String step, String presentedToken, String otp,
                String address) {
        if (!consume(session, step, presentedToken)) {
            audit.record(AuditEvent.of("DOUBLE_SUBMIT_REFUSED", operator.actor()).subject(operator.actor())
                    .from(address).detail("step", step));
            return new Check.DoubleSubmit();
        }
        if (otp == null || !otp.matches("[0-9]{6,8}")) {
            return new Check.CodeRefused("console.error.otpFormat");
        }
        VerificationResult result = tokens.verify(operator, otp, address);
        if (result instanceof VerificationResult.Accepted) {
            return new Check.Passed();
        }
        audit.record(AuditEvent.of("OPERATOR_CONFIRMATION_REFUSED", operator.actor()).subject(operator.actor())
                .from(address).detail("step", step)
                .detail("reason", result.getClass().getSimpleName()));
        return new Check.CodeRefused(result instanceof VerificationResult.Locked ? "console.error.otpLocked" : "console.error.otpWrong");
    }
}
