package io.kagi.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The last filter chain: public assets, the token app's files and the captured mailbox are open;
 * anything no module claimed is refused. Each module declares its own chain for its own paths.
 */
@Configuration(proxyBeanMethods = false)
class DefaultSecurityConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain defaultChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/", "/error", "/favicon.ico", "/css/**", "/js/**", "/images/**",
                                "/app/**", "/mailbox", "/mailbox/**")
                        .permitAll()
                        // Only reachable on the management port, bound to 127.0.0.1 unless configured otherwise.
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                        .permitAll()
                        .anyRequest().denyAll())
                .headers(SecurityHeaders.standard());
        return http.build();
    }
}
