package io.kagi.authority;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

import io.kagi.platform.ApiProblemResponses;
import io.kagi.platform.SecurityHeaders;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The filter chain of {@code /api/**}: stateless, no CSRF (no cookies are used), HTTP Basic for
 * relying parties with their own authentication manager (a service's サービスID and API secret,
 * nothing else: never a portal login), the activation endpoints and the OpenAPI description open.
 */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = "service", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "user = the 8-digit サービスID, password = the service's API secret")
class AuthorityApiSecurity {

    static final String SERVICE_ROLE = "ROLE_SERVICE";
    /** What a suspended service's right credentials give: no endpoint (403 {@code service-suspended}). */
    static final String SUSPENDED_SERVICE_ROLE = "ROLE_SUSPENDED_SERVICE";

    @Bean
    @Order(10)
    SecurityFilterChain authorityApiChain(HttpSecurity http, Services services) throws Exception {
        ProviderManager serviceAuthentication = new ProviderManager(List.of(new ServiceAuthenticationProvider(services)));
        serviceAuthentication.setEraseCredentialsAfterAuthentication(true);
        http.securityMatcher("/api/**")
                .authenticationManager(serviceAuthentication)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/v1/activation/**").permitAll()
                        .requestMatchers("/api/openapi", "/api/openapi/**", "/api/openapi.yaml").permitAll()
                        .requestMatchers("/api/v1/services/**").hasAuthority(SERVICE_ROLE)
                        .anyRequest().denyAll())
                .httpBasic(basic -> basic.realmName("kagi").authenticationEntryPoint(AuthorityApiSecurity::unauthorized))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.requireExplicitSave(true))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(AuthorityApiSecurity::unauthorized)
                        .accessDeniedHandler(AuthorityApiSecurity::forbidden))
                .headers(SecurityHeaders.standard());
        return http.build();
    }

    /**
     * No, malformed or wrong credentials: 401 with the Basic challenge (RFC 9110 §11.6.1) and an
     * RFC 9457 problem, whether the credentials were missing or refused.
     */
    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
                                     AuthenticationException refused) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"kagi\", charset=\"UTF-8\"");
        ApiProblemResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED);
    }

    /**
     * 403: a suspended service (its right credentials, any endpoint) gets {@code service-suspended},
     * anything else the standard {@code forbidden}.
     */
    private static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        boolean suspended = authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> SUSPENDED_SERVICE_ROLE.equals(authority.getAuthority()));
        if (suspended) {
            ApiProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "service-suspended",
                    "The service is suspended", "The bank has suspended this service; ask the bank to resume it");
        } else {
            ApiProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN);
        }
    }

    /**
     * Authenticates a service by サービスID and API secret (its current one, or the one a rotation
     * replaced while the grace period runs; SHA-256 compared in constant time). A suspended service's
     * right credentials authenticate with {@link #SUSPENDED_SERVICE_ROLE} only.
     */
    static final class ServiceAuthenticationProvider implements AuthenticationProvider {

        private static final Pattern SERVICE_ID = Pattern.compile("[0-9]{8}");

        private final Services services;

        ServiceAuthenticationProvider(Services services) {
            this.services = services;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            String name = authentication.getName();
            Object credentials = authentication.getCredentials();
            if (name == null || !SERVICE_ID.matcher(name).matches() || credentials == null) {
                throw new BadCredentialsException("Unknown service or wrong API secret");
            }
            Services.ApiAccess access = services.apiAccess(new ServiceId(name), credentials.toString());
            if (access == Services.ApiAccess.REFUSED) {
                throw new BadCredentialsException("Unknown service or wrong API secret");
            }
            String role = access == Services.ApiAccess.GRANTED ? SERVICE_ROLE : SUSPENDED_SERVICE_ROLE;
            return UsernamePasswordAuthenticationToken.authenticated(name, null, List.of(new SimpleGrantedAuthority(role)));
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
