package io.kagi.bizweb.certificates;

import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.bizweb.portal.CertificateLogin;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalIdentity;
import io.kagi.bizweb.portal.PortalTokens;
import io.kagi.certificates.ClientCertificates;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The certificate changes as confirm → execute steps ({@link ConfirmedWork}): issuance and renewal (the form
 * held when the user proved who they are; executed with their fresh OTP, or — for a user without a token,
 * when the bank's policy allows it — without one), the master user's revocation and choice of ways in. Each
 * happens once however often its form is sent, with its audit row, in one transaction.
 */
@Component
class CertificateWork {

    static final String ISSUE = "certificate-issue";
    static final String REVOKE = "certificate-revoke";
    static final String METHODS = "certificate-login-methods";

    private final ConfirmedWork work;
    private final PortalTokens tokens;
    private final ClientCertificates certificates;
    private final PortalIdentity identity;
    private final AuditLog audit;

    CertificateWork(ConfirmedWork work, PortalTokens tokens, ClientCertificates certificates, PortalIdentity identity,
                    AuditLog audit) {
        this.work = work;
        this.tokens = tokens;
        this.certificates = certificates;
        this.identity = identity;
        this.audit = audit;
    }

    /** A certificate for {@code userId}; {@code renews} the serial it supersedes, or null. */
    record IssueOrder(long userId, String renews) {
    }

    /** The master user's revocation of a certificate of the company ({@code serial}) … */
    record RevokeOrder(String serial, String loginId) {
    }

    /** … or a user's ways in. */
    record MethodsOrder(long userId, String loginId, CertificateLogin.LoginMethods methods) {
    }

    /** How a user proves possession at issuance. */
    enum Gate {
        /** With a fresh OTP of their active token. */
        WITH_CODE,
        /** Without a token, the bank's policy allowing it: the password alone. */
        WITHOUT_CODE,
        /** Without a usable token, the bank's policy not allowing it. */
        NO_TOKEN,
        /** The token is locked. */
        TOKEN_LOCKED
    }

    Gate gate(PortalAccount user) {
        PortalTokens.Situation situation = tokens.situation(user);
        if (situation == PortalTokens.Situation.ACTIVE) {
            return Gate.WITH_CODE;
        }
        if (situation == PortalTokens.Situation.LOCKED) {
            return Gate.TOKEN_LOCKED;
        }
        return certificates.issueWithoutToken() ? Gate.WITHOUT_CODE : Gate.NO_TOKEN;
    }

    String openIssue(PortalAccount user, String address, String renews) {
        return work.hold(user, address, ISSUE, new IssueOrder(user.id(), renews));
    }

    @Transactional
    Execution<IssueOrder, ClientCertificates.Issued> issue(PortalAccount user, String address, String formToken, String code,
                                                            ClientCertificates.CheckedRequest request) {
        ClientCertificates.Holder holder = new ClientCertificates.Holder(user.id(), user.companyId(),
                identity.companyName(user.companyId()), user.loginId());
        java.util.function.Function<IssueOrder, Optional<ClientCertificates.Issued>> change = order -> {
            if (order.userId() != user.id()) {
                return Optional.empty();
            }
            if (order.renews() != null && certificates.find(order.renews())
                    .filter(found -> found.userId() == user.id() && !found.revoked()).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(certificates.issue(holder, request, Optional.ofNullable(order.renews()), user.loginId(), address));
        };
        return gate(user) == Gate.WITH_CODE
                ? work.execute(user, address, ISSUE, formToken, code, IssueOrder.class, change)
                : work.executeWithoutCode(user, address, ISSUE, formToken, IssueOrder.class, change);
    }

    String openRevoke(PortalAccount master, String address, RevokeOrder order) {
        return work.hold(master, address, REVOKE, order);
    }

    String openMethods(PortalAccount master, String address, MethodsOrder order) {
        return work.hold(master, address, METHODS, order);
    }

    @Transactional
    Execution<RevokeOrder, Boolean> revoke(PortalAccount master, String address, String formToken, String code) {
        return work.execute(master, address, REVOKE, formToken, code, RevokeOrder.class, order -> certificates.revoke(
                order.serial(), Optional.of(master.companyId()), "KEY_COMPROMISE", master.loginId(), address)
                ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    @Transactional
    Execution<MethodsOrder, Boolean> setMethods(PortalAccount master, String address, String formToken, String code) {
        return work.execute(master, address, METHODS, formToken, code, MethodsOrder.class, order -> {
            if (!identity.setLoginMethods(master.companyId(), order.userId(), order.methods())) {
                return Optional.empty();
            }
            audit.record(AuditEvent.of("LOGIN_METHODS_CHANGED", master.loginId()).company(master.companyId())
                    .subject("user:" + order.loginId()).from(address).detail("methods", order.methods().name()));
            return Optional.of(Boolean.TRUE);
        });
    }
}
