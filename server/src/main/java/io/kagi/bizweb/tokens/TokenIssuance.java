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

    /** Why the authority issued nothing, for the page to say. */
    record NotIssued(IssueResult result) {
    }

    String open(PortalAccount user, String address) {
        return work.hold(user, address, STEP, new IssuanceRequest());
    }

    /**
     * Issues the user's token with the form's mail address and activation password, once per form;
     * {@code refusal} receives the authority's answer when it issues nothing (cooling-off, no service).
     */
    @Transactional
    Execution<IssuanceRequest> issue(PortalAccount user, String address, String formToken, String mailAddress,
                                     String activationPassword, Locale locale, NotIssued[] refusal) {
        return work.executeWithoutCode(user, address, STEP, formToken, IssuanceRequest.class, request -> {
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
            refusal[0] = new NotIssued(result);
            return OptionalLong.empty();
        });
    }
}
