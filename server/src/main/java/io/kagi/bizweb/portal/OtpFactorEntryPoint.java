package io.kagi.bizweb.portal;

import java.io.IOException;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * Where a logged-in user goes when a page needs the OTP factor they do not have: with an active
 * token, to BLGI010 to enter a code; with a locked one, to BLGI011; without a usable token, to
 * BERR001, which tells them why the function is refused and how to issue a token.
 */
@Component
class OtpFactorEntryPoint implements AuthenticationEntryPoint {

    private final PortalTokens tokens;
    private final AuditLog audit;

    OtpFactorEntryPoint(PortalTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof PortalAccount user)) {
            response.sendRedirect(request.getContextPath() + "/bizweb/login");
            return;
        }
        String target = switch (tokens.situation(user)) {
            case ACTIVE -> "/bizweb/otp";
            case LOCKED -> "/bizweb/otp/locked";
            case NONE, PENDING -> {
                String function = functionOf(request);
                audit.record(AuditEvent.of("ACCESS_REFUSED_NO_TOKEN", user.loginId()).company(user.companyId())
                        .subject("user:" + user.loginId()).from(ClientAddresses.of(request)).detail("function", function));
                yield "/bizweb/refused?function=" + function;
            }
        };
        response.sendRedirect(request.getContextPath() + target);
    }

    private static String functionOf(HttpServletRequest request) {
        return WorkGuard.functionOf(request);
    }
}
