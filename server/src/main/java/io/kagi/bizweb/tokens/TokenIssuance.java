package io.kagi.bizweb.tokens;

import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.IssueResult;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * ELG016's トークン発行: the page holds a one-time form ({@link #open}); {@link #issue} uses it up in
 * the transaction that issues the token, queues the トークン発行のお知らせ and writes the audit row, so
 * that however often and fast the form is sent, one token is issued and one mail goes out.
 */
@Component
class TokenIssuance {

    static final String STEP = "token-issue";
    static final String CONFIRM = "token-confirm";

    private final PortalTokens tokens;
    private final ConfirmedWork work;
    private final AuditLog audit;

    TokenIssuance(PortalTokens tokens, ConfirmedWork work, AuditLog audit) {
        this.tokens = tokens;
        this.work = work;
        this.audit = audit;
    }

    /** ELG017's one-time form: the first code of the user's new token completes its issuance. */
    record TokenConfirmation(long userId) {
    }

    String openConfirmation(PortalAccount user, String address) {
        return work.hold(user, address, CONFIRM, new TokenConfirmation(user.id()));
    }

    /**
     * ELG017 (OTP認証確認): the first code of the new token, once per form; on {@link Execution.Done}
     * (with its audit row committed) the controller grants the session its OTP factor.
     */
    @Transactional
    Execution<TokenConfirmation, TokenConfirmation> confirm(PortalAccount user, String address, String formToken,
                                                           String code, String tokenSubject) {
        return work.execute(user, address, CONFIRM, formToken, code, TokenConfirmation.class, confirmation -> {
            audit.record(AuditEvent.of("TOKEN_CONFIRMED", user.loginId()).company(user.companyId())
                    .subject(tokenSubject).from(address).detail("factor", "otp"));
            return Optional.of(confirmation);
        });
    }

    /** ELG016's one-time form: nothing to hold but the fact that the page was shown. */
    record IssuanceRequest() {
    }

    /** What became of an issuance form, for the page to say. */
    sealed interface Issuance {

        /** Issued: the notices go out, ELG017 comes next. */
        record Issued() implements Issuance {
        }

        /** The authority refused (cooling-off after a revocation, no service): nothing was issued. */
        record Refused(IssueResult result) implements Issuance {
        }

        /** The token was revoked and no administrator or the bank allowed a new one since ({@link PortalTokens#reissueHeld}). */
        record HeldAfterRevocation() implements Issuance {
        }
    }

    String open(PortalAccount user, String address) {
        return work.hold(user, address, STEP, new IssuanceRequest());
    }

    /**
     * Issues the user's token with the form's mail address and activation password, once per form;
     * {@link Execution.Done} says whether it was issued, or why not (held after a revocation, cooling-off, no service).
     */
    @Transactional
    Execution<IssuanceRequest, Issuance> issue(PortalAccount user, String address, String formToken, String mailAddress,
                                                  String activationPassword, Locale locale) {
        return work.executeWithoutCode(user, address, STEP, formToken, IssuanceRequest.class, request -> {
            if (tokens.reissueHeld(user.id())) {
                audit.record(AuditEvent.of("TOKEN_ISSUE_REFUSED", user.loginId()).company(user.companyId())
                        .subject("user:" + user.loginId()).from(address).detail("reason", "revoked-not-reallowed"));
                return Optional.of(new Issuance.HeldAfterRevocation());
            }
            char[] password = activationPassword.toCharArray();
            IssueResult result;
            try {
                result = tokens.issue(user, mailAddress, password, locale, address);
            } finally {
                Arrays.fill(password, '\0');
            }
            if (result instanceof IssueResult.Issued issued) {
                audit.record(AuditEvent.of("TOKEN_ISSUE_REQUESTED", user.loginId()).company(user.companyId())
                        .subject("token:" + issued.serviceId() + "/" + issued.userId()).from(address));
                return Optional.of(new Issuance.Issued());
            }
            return Optional.of(new Issuance.Refused(result));
        });
    }
}
