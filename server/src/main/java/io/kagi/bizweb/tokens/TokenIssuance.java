package io.kagi.bizweb.tokens;

import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;

import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.IssueResult;
import io.kagi.bizweb.portal.ConfirmedWork.Execution;

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

    private final PortalTokens tokens;
    private final ConfirmedWork work;
    private final AuditLog audit;

    TokenIssuance(PortalTokens tokens, ConfirmedWork work, AuditLog audit) {
        this.tokens = tokens;
        this.work = work;
        this.audit = audit;
    }

    /** ELG016's one-time form: nothing to hold but the fact that the page was shown. */
    record IssuanceRequest() {
    }

    /** Why nothing was issued, for the page to say. */
    sealed interface NotIssued {

        /** The authority refused (cooling-off after a revocation, no service). */
        record Refused(IssueResult result) implements NotIssued {
        }

        /** The token was revoked and no administrator or the bank allowed a new one since ({@link PortalTokens#reissueHeld}). */
        record HeldAfterRevocation() implements NotIssued {
        }
    }

    String open(PortalAccount user, String address) {
        return work.hold(user, address, STEP, new IssuanceRequest());
    }

    /**
     * Issues the user's token with the form's mail address and activation password, once per form;
     * {@code refusal} receives why nothing was issued (held after a revocation, cooling-off, no service).
     */
    @Transactional
    Execution<IssuanceRequest> issue(PortalAccount user, String address, String formToken, String mailAddress,
                                     String activationPassword, Locale locale, NotIssued[] refusal) {
        return work.executeWithoutCode(user, address, STEP, formToken, IssuanceRequest.class, request -> {
            if (tokens.reissueHeld(user.id())) {
                audit.record(AuditEvent.of("TOKEN_ISSUE_REFUSED", user.loginId()).company(user.companyId())
                        .subject("user:" + user.loginId()).from(address).detail("reason", "revoked-not-reallowed"));
                refusal[0] = new NotIssued.HeldAfterRevocation();
                return OptionalLong.empty();
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
                return OptionalLong.of(user.id());
            }
            refusal[0] = new NotIssued.Refused(result);
            return OptionalLong.empty();
        });
    }
}
