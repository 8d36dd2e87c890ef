package io.kagi.bizweb.portal;

import java.io.IOException;
import java.time.Clock;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.signin.LoginRefusal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What follows the password factor. A success is written to the login history with its audit row,
 * in one transaction (which also reads the token's status); a user who still
 * has the initial password an administrator gave them goes to BPWD001 to change it first; then on by
 * the user's token: none → ELG016 (issuance), pending → ELG017 (OTP認証確認), active → BLGI010 (the
 * OTP) when the service's policy asks for it, otherwise the top page; locked → BLGI011 (told only
 * now, after the password was right). A failure says only "wrong login ID or password", that
 * the login is locked and who can unlock it, or how long to wait after too many attempts — the same
 * for a login ID that does not exist.
 */
@Component
public class LoginOutcomes implements AuthenticationSuccessHandler, AuthenticationFailureHandler, LogoutHandler {

    private final LoginHistory history;
    private final PortalTokens tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final Colleagues colleagues;
    private final PortalUsers users;
    private final TransactionTemplate transactions;

    LoginOutcomes(LoginHistory history, PortalTokens tokens, AuditLog audit, Clock clock, Colleagues colleagues,
                  PortalUsers users, PlatformTransactionManager transactionManager) {
        this.users = users;
        this.transactions = new TransactionTemplate(transactionManager);
        this.history = history;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.colleagues = colleagues;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        PortalAccount user = (PortalAccount) authentication.getPrincipal();
        String address = ClientAddresses.of(request);
        PortalTokens.Situation situation = transactions.execute(transaction -> {
            history.record(user.id(), clock.instant(), address);
            PortalTokens.Situation now = tokens.situation(user);
            audit.record(AuditEvent.of("LOGIN_SUCCEEDED", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(address).detail("factor", "password")
                    .detail("token", now.name()));
            return now;
        });
        // The next page's CSRF token made now (Spring Security replaced it at the login), so that the
        // new session is stored once, with it, instead of written again by the next page (issue 24).
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken csrf) {
            csrf.getToken();
        }
        boolean mustChange = user.atSignIn().map(PortalAccount.SignInFacts::passwordMustChange)
                .orElseGet(() -> colleagues.mustChangePassword(user.id()));
        if (mustChange) {
            request.getSession().setAttribute(WorkGuard.MUST_CHANGE_PASSWORD, Boolean.TRUE);
            response.sendRedirect(request.getContextPath() + "/bizweb/password");
            return;
        }
        response.sendRedirect(request.getContextPath() + nextAfterPassword(situation));
    }

    public String nextAfterPassword(PortalTokens.Situation situation) {
        return switch (situation) {
            case NONE -> "/bizweb/token/issue";
            case PENDING -> "/bizweb/token/confirm";
            case ACTIVE -> tokens.otpAtLogin() ? "/bizweb/otp" : "/bizweb/top";
            case LOCKED -> "/bizweb/otp/locked";
        };
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        LoginRefusal refusal = LoginRefusal.of(exception);
        String type = switch (refusal.kind()) {
            case THROTTLED -> "LOGIN_THROTTLED";
            case LOCKED -> "LOGIN_REFUSED_LOCKED";
            case WRONG_CREDENTIALS -> "LOGIN_FAILED";
        };
        audit.recordAlone(users.refusedLogin(AuditEvent.of(type, "anonymous").from(ClientAddresses.of(request)),
                request.getParameter("loginId")));
        response.sendRedirect(request.getContextPath() + "/bizweb/login?" + refusal.pageQuery());
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        if (authentication != null && authentication.getPrincipal() instanceof PortalAccount user) {
            audit.record(AuditEvent.of("LOGOUT", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(ClientAddresses.of(request)));
        }
    }
}
