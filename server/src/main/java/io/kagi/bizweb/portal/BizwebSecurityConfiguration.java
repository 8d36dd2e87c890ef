package io.kagi.bizweb.portal;

import io.kagi.platform.SecurityHeaders;
import io.kagi.signin.SignIn;
import io.kagi.session.LazySessions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AllRequiredFactorsAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagerFactories;
import org.springframework.security.authorization.AuthorizationManagerFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The portal's filter chain (everything under {@code /bizweb}) and the factors each page needs:
 *
 * <table>
 * <tr><th>pages</th><th>factors</th></tr>
 * <tr><td>BLGI001 login, ログインID取得, the portal's scripts</td><td>none</td></tr>
 * <tr><td>ELG016, ELG017 (token issuance and confirmation), BLGI010/011 (OTP at login), BERR001,
 *     BPWD001 (the forced change of an initial password)</td>
 *     <td>password</td></tr>
 * <tr><td>BTOP001 top page (and any other page)</td><td>password, and the OTP when the service's
 *     policy asks for it at login and the user has a token that is active or locked; a user without
 *     a usable token (who skipped issuance) reaches it with the password only</td></tr>
 * <tr><td>承認, 振込先管理, 振込依頼, 利用者管理</td><td>password and OTP, always; and each change asks for a
 *     fresh OTP on its confirm screen ({@link ConfirmedWork})</td></tr>
 * </table>
 *
 * A logged-in user missing the OTP factor is sent by {@link OtpFactorEntryPoint} to enter a code,
 * or, without a usable token, to the refusal page. Sessions are fixed against fixation (a new ID at
 * login and when the OTP factor is added), forms carry CSRF tokens, logout is a POST.
 */
@Configuration(proxyBeanMethods = false)
public class BizwebSecurityConfiguration {

    @Bean
    @Order(20)
    SecurityFilterChain bizwebChain(HttpSecurity http, PortalUsers users, SignIn signIn, LoginOutcomes outcomes,
                                    PortalTokens tokens,
                                    OtpFactorEntryPoint otpEntryPoint, CertificateLogin certificateLogin) throws Exception {
        AuthorizationManager<RequestAuthorizationContext> password = AllRequiredFactorsAuthorizationManager
                .<RequestAuthorizationContext>builder()
                .requireFactor(factor -> factor.passwordAuthority())
                .build();
        AuthorizationManager<RequestAuthorizationContext> passwordAndOtp = AllRequiredFactorsAuthorizationManager
                .<RequestAuthorizationContext>builder()
                .requireFactor(factor -> factor.passwordAuthority())
                .requireFactor(factor -> factor.authority(PortalFactors.OTP_AUTHORITY))
                .build();
        AuthorizationManagerFactory<RequestAuthorizationContext> otpWhenPolicyAsks = AuthorizationManagerFactories
                .<RequestAuthorizationContext>multiFactor()
                .requireFactors(FactorGrantedAuthority.PASSWORD_AUTHORITY, PortalFactors.OTP_AUTHORITY)
                .when(authentication -> otpRequired(authentication, tokens))
                .build();

        http.securityMatcher("/bizweb/**")
                // The portal's users only: no parent manager, so nothing else ever tries the same credentials.
                .authenticationManager(new ProviderManager(signIn.passwordFactor(PortalAccount.REALM, users::account)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/bizweb/login", "/bizweb/first-use", "/bizweb/first-use/**", "/bizweb/js/**")
                        .permitAll()
                        // 電子証明書発行 from BLGI001 (the user proves who they are on the page) and a refused certificate.
                        .requestMatchers("/bizweb/certificate/issue", "/bizweb/certificate/issue/**", "/bizweb/certificate/refused")
                        .permitAll()
                        .requestMatchers("/bizweb/token/**", "/bizweb/otp", "/bizweb/otp/**", "/bizweb/refused", "/bizweb/password")
                        .access(password)
                        .requestMatchers("/bizweb/approvals", "/bizweb/approvals/**", "/bizweb/payees", "/bizweb/payees/**",
                                "/bizweb/transfers", "/bizweb/transfers/**", "/bizweb/users", "/bizweb/users/**")
                        .access(passwordAndOtp)
                        .anyRequest().access(otpWhenPolicyAsks.authenticated()))
                .formLogin(login -> login
                        .loginPage("/bizweb/login")
                        .usernameParameter("loginId")
                        .passwordParameter("password")
                        .successHandler(certificateLogin.successHandler(outcomes))
                        .failureHandler(outcomes))
                // 電子証明書ログイン: the login ID comes from the client certificate (CertificateLogin).
                .addFilterBefore(certificateLogin.filter(), UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(exceptions -> exceptions
                        .defaultDeniedHandlerForMissingAuthority(otpEntryPoint, PortalFactors.OTP_AUTHORITY))
                .sessionManagement(sessions -> sessions
                        .sessionFixation(fixation -> fixation.changeSessionId())
                        .invalidSessionStrategy(LazySessions.invalidSessionRedirect("/bizweb/login?timeout")))
                // No session row for anonymous visitors (io.kagi.session.LazySessions).
                .csrf(csrf -> csrf.csrfTokenRepository(LazySessions.csrfTokens("/bizweb")))
                .requestCache(cache -> cache.requestCache(LazySessions.requestCache()))
                .logout(logout -> logout
                        .logoutUrl("/bizweb/logout")
                        .addLogoutHandler(outcomes)
                        .logoutSuccessUrl("/bizweb/login?logout"))
                .headers(SecurityHeaders.standard());
        return http.build();
    }

    /**
     * The top page asks for the OTP when the policy wants it at login and the user has a token to
     * give one with. A session that has given it already needs no look-up: the answer would not
     * change the decision (most requests after the login).
     */
    private static boolean otpRequired(Authentication authentication, PortalTokens tokens) {
        if (!(authentication.getPrincipal() instanceof PortalAccount user)
                || PortalFactors.hasOtpFactor(authentication) || !tokens.otpAtLogin()) {
            return false;
        }
        PortalTokens.Situation situation = tokens.situation(user);
        return situation == PortalTokens.Situation.ACTIVE || situation == PortalTokens.Situation.LOCKED;
    }
}
