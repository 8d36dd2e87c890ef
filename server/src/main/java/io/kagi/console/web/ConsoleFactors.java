package io.kagi.console.web;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The console's factors and where its login lives in the session. The password factor is Spring
 * Security's {@link FactorGrantedAuthority#PASSWORD_AUTHORITY}; the OTP factor is
 * {@value #OTP_AUTHORITY}, granted after the authority accepted a code of the operator's token.
 * The console keeps its security context under its own session attribute
 * ({@value #CONTEXT_ATTRIBUTE}), so a portal login in the same browser session never opens the
 * console and a console login never opens the portal.
 */
@Component
class ConsoleFactors {

    static final String OTP_AUTHORITY = "FACTOR_KAGI_CONSOLE_OTP";
    static final String CONTEXT_ATTRIBUTE = "KAGI_CONSOLE_SECURITY_CONTEXT";
    static final String SAVED_REQUEST_ATTRIBUTE = "KAGI_CONSOLE_SAVED_REQUEST";

    private final Clock clock;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final HttpSessionSecurityContextRepository repository = repository();

    ConsoleFactors(Clock clock) {
        this.clock = clock;
    }

    static HttpSessionSecurityContextRepository repository() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setSpringSecurityContextKey(CONTEXT_ATTRIBUTE);
        return repository;
    }

    static boolean hasOtpFactor(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> OTP_AUTHORITY.equals(authority.getAuthority()));
    }

    /** Adds the OTP factor to the current authentication, changes the session ID and saves the context. */
    void grantOtpFactor(HttpServletRequest request, HttpServletResponse response) {
        Authentication current = holder.getContext().getAuthentication();
        Set<GrantedAuthority> authorities = new LinkedHashSet<>(current.getAuthorities());
        authorities.removeIf(authority -> OTP_AUTHORITY.equals(authority.getAuthority()));
        authorities.add(FactorGrantedAuthority.withAuthority(OTP_AUTHORITY).issuedAt(clock.instant()).build());
        UsernamePasswordAuthenticationToken upgraded =
                UsernamePasswordAuthenticationToken.authenticated(current.getPrincipal(), null, authorities);
        upgraded.setDetails(current.getDetails());
        request.changeSessionId();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(upgraded);
        holder.setContext(context);
        repository.saveContext(context, request, response);
    }
}
