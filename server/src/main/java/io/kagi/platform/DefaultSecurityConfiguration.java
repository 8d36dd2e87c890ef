package io.kagi.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The last filter chain: public assets, the token app's files and the captured mailbox are open;
 * anything no module claimed is refused. Each module declares its own chain for its own paths.
 */
@Configuration(proxyBeanMethods = false)
class DefaultSecurityConfiguration {

    /**
     * No Micrometer observation around each security filter, authentication and authorization:
     * on the verify path that was a third of the node's allocation for no figure anyone reads.
     * Requests are still timed as a whole ({@code http.server.requests}).
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

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
