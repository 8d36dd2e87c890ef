package io.kagi.platform;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How login passwords (and the bank's temporary first-use passwords) are hashed: bcrypt at
 * {@code kagi.passwords.bcrypt-strength} (default 11), stored with an {@code {id}} prefix so the
 * algorithm or cost can change without invalidating existing hashes.
 */
@Configuration(proxyBeanMethods = false)
class PasswordHashing {

    @Bean
    PasswordEncoder passwordEncoder(@Value("${kagi.passwords.bcrypt-strength:11}") int strength) {
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(strength)));
    }
}
