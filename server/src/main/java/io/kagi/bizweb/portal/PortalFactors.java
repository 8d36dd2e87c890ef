package io.kagi.bizweb.portal;

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
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The portal's authentication factors. The password factor is Spring Security's own
 * ({@link FactorGrantedAuthority#PASSWORD_AUTHORITY}, granted by the form login); the OTP factor
 * {@value #OTP_AUTHORITY} is ours, granted here after the token authority accepted a code from the
 * user's active token, and added to the existing authentication (which keeps its password factor).
 */
@Component
public class PortalFactors {

    /** Granted once the user proved possession of their token with a one-time password. */
    static final String OTP_AUTHORITY = "FACTOR_KAGI_OTP";

    private final Clock clock;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    PortalFactors(Clock clock) {
        this.clock = clock;
    }

    public static boolean hasOtpFactor(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> OTP_AUTHORITY.equals(authority.getAuthority()));
    }

    /**
     * Adds the OTP factor to the current authentication, changes the session ID (the session now
     * carries more privilege) and saves the context in the session.
     */
    public void grantOtpFactor(HttpServletRequest request, HttpServletResponse response) {
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
