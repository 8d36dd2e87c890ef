package io.kagi.signin;

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
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * A one-time-password factor: an authority of our own ({@code FACTOR_KAGI_…}), granted after the
 * token authority accepted a code of the person's token and added to the authentication they have
 * (which keeps its password factor). The password factor is Spring Security's own
 * ({@link FactorGrantedAuthority#PASSWORD_AUTHORITY}).
 */
public final class SecondFactor {

    private final String authority;
    private final SecurityContextRepository repository;
    private final Clock clock;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    /**
     * @param authority  the factor's authority, e.g. {@code FACTOR_KAGI_OTP}
     * @param repository where the realm keeps its security context in the session
     */
    public SecondFactor(String authority, SecurityContextRepository repository, Clock clock) {
        this.authority = authority;
        this.repository = repository;
        this.clock = clock;
    }

    public String authority() {
        return authority;
    }

    /** Whether {@code authentication} holds the factor {@code authority}. */
    public static boolean isGranted(Authentication authentication, String authority) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(granted -> authority.equals(granted.getAuthority()));
    }

    /**
     * Adds the factor to the current authentication, changes the session ID (the session now
     * carries more privilege) and saves the context in the session.
     */
    public void grant(HttpServletRequest request, HttpServletResponse response) {
        Authentication current = holder.getContext().getAuthentication();
        Set<GrantedAuthority> authorities = new LinkedHashSet<>(current.getAuthorities());
        authorities.removeIf(granted -> authority.equals(granted.getAuthority()));
        authorities.add(FactorGrantedAuthority.withAuthority(authority).issuedAt(clock.instant()).build());
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
