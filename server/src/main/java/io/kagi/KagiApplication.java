package io.kagi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Kagi: the token authority, the business web portal, mail and the bank operator console in one
 * application. Each top-level package below this one is a module (see {@code ModularityTests}).
 */
// No in-memory user with a generated password: every filter chain has its own authentication
// (portal and console through io.kagi.signin, the REST API through AuthorityApiSecurity).
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class KagiApplication {

    public static void main(String[] args) {
        SpringApplication.run(KagiApplication.class, args);
    }
}
