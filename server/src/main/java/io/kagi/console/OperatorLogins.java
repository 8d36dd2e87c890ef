package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.util.Locale;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.IssueResult;
import io.kagi.signin.LoginRefusal;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operators' own login (CLGI): the password's outcome in the audit log, the OTP at every login
 * (CLGI002), the issuance of their token (CLGI003, a one-step form: the activation password is not
 * held) and its confirmation with the first code (CLGI004). Each step is a one-time form: of any
 * number of submissions of one form exactly one counts, so a double click neither issues two tokens
 * (the second would void the first) nor spends a failed attempt of the token; the step and its audit
 * row commit together. The session's OTP factor is granted by the web layer after the step committed.
 */
@Service
public class OperatorLogins {

    static final String OTP = "console-otp";
    static final String ISSUE = "console-token-issue";
    static final String CONFIRM = "console-token-confirm";

    private final OperatorTokens tokens;
    private final OperatorConfirmations confirmations;
    private final AuditLog audit;
    private final Operators operators;

    OperatorLogins(OperatorTokens tokens, OperatorConfirmations confirmations, AuditLog audit, Operators operators) {
        this.operators = operators;
        this.tokens = tokens;
        this.confirmations = confirmations;
        this.audit = audit;
    }

    /** The login of {@code operatorId} that the OTP of CLGI002 completes. */
    public record OtpLogin(long operatorId) {
    }

    /** The issuance of the operator's token (CLGI003). */
    public record TokenIssuance(long operatorId) {
    }

    /** The first code of the operator's newly issued token (CLGI004). */
    public record TokenConfirmation(long operatorId) {
    }

    /** What became of a token issuance. */
    public sealed interface Issuance {

        /** Issued; the notice goes to the operator's registered address. */
        record Issued() implements Issuance {
        }

        /** The form was already sent: nothing happened. */
        record AlreadyDone() implements Issuance {
        }

        /** The operator has a token meanwhile: nothing happened. */
        record NotNeeded() implements Issuance {
        }

        /** The authority refused ({@code messageKey}, a console message key): nothing happened. */
        record Refused(String messageKey) implements Issuance {
        }
    }

    /** Records a right password (and where the operator's token stands). */
    @Transactional
    public void passwordAccepted(OperatorAccount operator, String address) {
        audit.record(AuditEvent.of("OPERATOR_LOGIN_SUCCEEDED", operator.actor()).subject(operator.actor())
                .from(address).detail("factor", "password").detail("token", tokens.situation(operator).name()));
    }

    /** Records a refused password ({@code locked}: the login is locked). */
    public void passwordRefused(String loginId, LoginRefusal refusal, String address) {
        String type = switch (refusal.kind()) {
            case THROTTLED -> "OPERATOR_LOGIN_THROTTLED";
            case LOCKED -> "OPERATOR_LOGIN_REFUSED_LOCKED";
            case WRONG_CREDENTIALS -> "OPERATOR_LOGIN_FAILED";
        };
        audit.recordAlone(operators.refusedLogin(AuditEvent.of(type, "anonymous").from(address), loginId));
    }

    public String holdOtpLogin(OperatorAccount operator, String address) {
        return confirmations.hold(operator, address, OTP, new OtpLogin(operator.id()));
    }

    /** Checks the login's OTP; on {@link Execution.Done} the caller grants the session its OTP factor. */
    @Transactional
    public Execution<OtpLogin, OtpLogin> verifyOtp(OperatorAccount operator, String address, String formToken,
                                                   String code) {
        return confirmations.carryOut(operator, address, OTP, formToken, code, OtpLogin.class, login -> {
            audit.record(AuditEvent.of("OPERATOR_LOGIN_OTP_ACCEPTED", operator.actor()).subject(operator.actor())
                    .from(address).detail("factor", "otp"));
            return login;
        });
    }

    public String holdIssuance(OperatorAccount operator, String address) {
        return confirmations.hold(operator, address, ISSUE, new TokenIssuance(operator.id()));
    }

    /**
     * Issues the operator's token, once per form, when they have none (the authority writes
     * {@code TOKEN_ISSUED} and queues the notice in this transaction). The caller clears
     * {@code activationPassword} afterwards.
     */
    @Transactional
    public Issuance issue(OperatorAccount operator, String address, String formToken, char[] activationPassword,
                          Locale locale) {
        Optional<TokenIssuance> issuance = confirmations.takeWithoutCode(operator, address, ISSUE, formToken,
                TokenIssuance.class);
        if (issuance.isEmpty()) {
            return new Issuance.AlreadyDone();
        }
        if (tokens.situation(operator) != OperatorTokens.Situation.NONE) {
            return new Issuance.NotNeeded();
        }
        IssueResult result = tokens.issue(operator, activationPassword, locale, address);
        if (result instanceof IssueResult.Issued) {
            return new Issuance.Issued();
        }
        return new Issuance.Refused(result instanceof IssueResult.CoolingOff ? "console.token.coolingOff"
                : "console.token.unavailable");
    }

    public String holdConfirmation(OperatorAccount operator, String address) {
        return confirmations.hold(operator, address, CONFIRM, new TokenConfirmation(operator.id()));
    }

    /**
     * Checks the first code of the operator's new token; on {@link Execution.Done} the caller grants
     * the session its OTP factor. {@link Execution.Refused} (not locked) means the token is not yet
     * set up in the app.
     */
    @Transactional
    public Execution<TokenConfirmation, TokenConfirmation> confirmToken(OperatorAccount operator, String address,
                                                                        String formToken, String code) {
        return confirmations.carryOut(operator, address, CONFIRM, formToken, code, TokenConfirmation.class,
                confirmation -> {
                    audit.record(AuditEvent.of("OPERATOR_TOKEN_CONFIRMED", operator.actor()).subject(operator.actor())
                            .from(address).detail("factor", "otp"));
                    return confirmation;
                });
    }
}
