package io.kagi.bizweb;

import io.kagi.platform.SecurityHeaders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The portal's filter chain: everything under /bizweb needs a login but the login page itself. */
@Configuration(proxyBeanMethods = false)
class BizwebSecurityConfiguration {

    @Bean
    @Order(20)
    SecurityFilterChain bizwebChain(HttpSecurity http, PortalUsers users) throws Exception {
        http.securityMatcher("/bizweb/**")
                .userDetailsService(users)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/bizweb/login").permitAll()
                        .anyRequest().authenticated())
                .formLogin(login -> login
                        .loginPage("/bizweb/login")
                        .usernameParameter("loginId")
                        .passwordParameter("password")
                        .defaultSuccessUrl("/bizweb/top", true)
                        .failureUrl("/bizweb/login?error"))
                .logout(logout -> logout.logoutUrl("/bizweb/logout").logoutSuccessUrl("/bizweb/login?logout"))
                .headers(SecurityHeaders.standard());
        return http.build();
    }
}
