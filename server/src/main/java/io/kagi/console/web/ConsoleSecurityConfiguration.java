package io.kagi.console.web;

import java.io.IOException;

import io.kagi.console.OperatorAccount;
import io.kagi.console.OperatorLogins;
import io.kagi.console.OperatorTokens;
import io.kagi.console.Operators;
import io.kagi.platform.SecurityHeaders;
import io.kagi.session.LazySessions;
import io.kagi.signin.LoginRefusal;
import io.kagi.signin.SignIn;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;

/**
 * The console's own filter chain (everything under {@code /console}), apart from the portal's:
 * its own login page (CLGI001), its own operators, its own session attribute for the security
 * context, and its own OTP factor.
 *
 * <table>
 * <tr><th>pages</th><th>factors and role</th></tr>
 * <tr><td>CLGI001 login</td><td>none</td></tr>
 * <tr><td>CLGI002 OTP, CLGI003/CLGI004 the operator's token issuance and confirmation</td><td>password</td></tr>
 * <tr><td>CPWD001 the operator's own password</td><td>password and OTP, every role</td></tr>
 * <tr><td>creating contracts, unlocking, revoking, administering operators, changing relying parties, CKEY001 keys</td><td>password and OTP, role SUPERVISOR</td></tr>
 * <tr><td>every other change (every POST, and the pages that open a change)</td><td>password and OTP, role
 *     OPERATOR or SUPERVISOR (an AUDITOR only reads)</td></tr>
 * <tr><td>every other page</td><td>password and OTP</td></tr>
 * </table>
 *
 * An operator missing the OTP factor is sent to enter a code (or first to get a token); the wrong
 * role is answered 403; anyone not logged in to the console goes to CLGI001. Who may approve a
 * waiting change is decided by its kind ({@link io.kagi.console.PendingChanges}).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

    static final String[] SUPERVISOR_PATHS = {"/console/companies/new", "/console/companies/new/**",
            "/console/users/action", "/console/users/action/**", "/console/operators/new", "/console/operators/new/**",
            "/console/operators/action", "/console/operators/action/**",
            "/console/services/new", "/console/services/new/**", "/console/services/*/policy", "/console/services/*/policy/**",
            "/console/services/*/secret/**", "/console/services/*/suspension/**", "/console/keys", "/console/keys/**",
            "/console/companies/*/rename/**", "/console/companies/*/change/**"};

    /** Pages that open a change (its form or its confirm screen): not for an AUDITOR, like every POST. */
    static final String[] WRITER_PAGES = {"/console/notices/new", "/console/notices/*/withdraw", "/console/mail/*/retry",
            "/console/approvals/*/*"};

    @Bean
    @Order(15)
    SecurityFilterChain consoleChain(HttpSecurity http, Operators operators, SignIn signIn,
                                     OperatorTokens tokens, OperatorLogins logins) throws Exception {
        AuthorizationManager<RequestAuthorizationContext> password = AllRequiredFactorsAuthorizationManager
                .<RequestAuthorizationContext>builder()
                .requireFactor(factor -> factor.passwordAuthority())
                .build();
        AuthorizationManager<RequestAuthorizationContext> passwordAndOtp = AllRequiredFactorsAuthorizationManager
                .<RequestAuthorizationContext>builder()
                .requireFactor(factor -> factor.passwordAuthority())
                .requireFactor(factor -> factor.authority(ConsoleFactors.OTP_AUTHORITY))
                .build();
        AuthorizationManager<RequestAuthorizationContext> supervisorRole =
                AuthorityAuthorizationManager.hasRole("CONSOLE_SUPERVISOR");
        AuthorizationManager<RequestAuthorizationContext> supervisor = (authentication, context) -> {
            AuthorizationResult factors = passwordAndOtp.authorize(authentication, context);
            return factors == null || !factors.isGranted() ? factors : supervisorRole.authorize(authentication, context);
        };
        AuthorizationManager<RequestAuthorizationContext> writerRole =
                AuthorityAuthorizationManager.hasAnyRole("CONSOLE_SUPERVISOR", "CONSOLE_OPERATOR");
        AuthorizationManager<RequestAuthorizationContext> writer = (authentication, context) -> {
            AuthorizationResult factors = passwordAndOtp.authorize(authentication, context);
            return factors == null || !factors.isGranted() ? factors : writerRole.authorize(authentication, context);
        };
        HttpSessionRequestCache requestCache = LazySessions.requestCache();
        requestCache.setSessionAttrName(ConsoleFactors.SAVED_REQUEST_ATTRIBUTE);

        http.securityMatcher("/console/**")
                // Operators only: no parent manager, so no other module's accounts are ever tried here.
                .authenticationManager(new ProviderManager(signIn.passwordFactor(operators.realm(), operators::account)))
                .securityContext(context -> context.securityContextRepository(ConsoleFactors.repository()))
                .requestCache(cache -> cache.requestCache(requestCache))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/console/login", "/console/console.css").permitAll()
                        .requestMatchers("/console/otp", "/console/token/**").access(password)
                        .requestMatchers("/console/password").access(passwordAndOtp)
                        .requestMatchers(SUPERVISOR_PATHS).access(supervisor)
                        .requestMatchers(HttpMethod.POST, "/console/**").access(writer)
                        .requestMatchers(WRITER_PAGES).access(writer)
                        .anyRequest().access(passwordAndOtp))
                .formLogin(login -> login
                        .loginPage("/console/login")
                        .usernameParameter("loginId")
                        .passwordParameter("password")
                        .successHandler((request, response, authentication) ->
                                loggedIn(request, response, authentication, tokens, logins))
                        .failureHandler((request, response, exception) -> {
                            LoginRefusal refusal = LoginRefusal.of(exception);
                            logins.passwordRefused(request.getParameter("loginId"), refusal, ClientAddress.of(request));
                            response.sendRedirect(request.getContextPath() + "/console/login?" + refusal.pageQuery());
                        }))
                .exceptionHandling(exceptions -> exceptions
                        .defaultDeniedHandlerForMissingAuthority(otpEntryPoint(tokens), ConsoleFactors.OTP_AUTHORITY))
                .sessionManagement(sessions -> sessions.sessionFixation(fixation -> fixation.changeSessionId()))
                // No session row for anonymous visitors (io.kagi.session.LazySessions).
                .csrf(csrf -> csrf.csrfTokenRepository(LazySessions.csrfTokens("/console")))
                .logout(logout -> logout
                        .logoutUrl("/console/logout")
                        .logoutSuccessUrl("/console/login?logout"))
                .headers(SecurityHeaders.standard());
        return http.build();
    }

    private static void loggedIn(HttpServletRequest request, HttpServletResponse response, Authentication authentication,
                                 OperatorTokens tokens, OperatorLogins logins) throws IOException {
        OperatorAccount operator = (OperatorAccount) authentication.getPrincipal();
        logins.passwordAccepted(operator, ClientAddress.of(request));
        response.sendRedirect(request.getContextPath() + tokens.next(operator));
    }

    /** A logged-in operator without the OTP factor: to the code, or first to their token's issuance. */
    private static AuthenticationEntryPoint otpEntryPoint(OperatorTokens tokens) {
        return (request, response, exception) -> {
            Authentication authentication = org.springframework.security.core.context.SecurityContextHolder
                    .getContext().getAuthentication();
            if (authentication == null || !(authentication.getPrincipal() instanceof OperatorAccount operator)) {
                response.sendRedirect(request.getContextPath() + "/console/login");
                return;
            }
            response.sendRedirect(request.getContextPath() + tokens.next(operator));
        };
    }
}
