package io.kagi.platform;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How login passwords (and the bank's temporary passwords) are hashed. New hashes use
 * {@code kagi.passwords.algorithm}: {@code argon2} (the default: Argon2id with OWASP's recommended
 * parameters, 19 MiB of memory, 2 iterations, 1 lane — memory-hard, and far cheaper in CPU here than
 * bcrypt at cost 11) or {@code bcrypt} (at {@code kagi.passwords.bcrypt-strength}). Every hash is
 * stored with its {@code {id}} prefix, so hashes of either kind keep working, and a hash of the
 * other kind is re-hashed at its owner's next login ({@code io.kagi.signin.PasswordFactor}).
 */
@Configuration(proxyBeanMethods = false)
class PasswordHashing {

    /** OWASP Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1. */
    private static final int ARGON2_MEMORY_KIB = 19 * 1024;
    private static final int ARGON2_ITERATIONS = 2;

    @Bean
    PasswordEncoder passwordEncoder(@Value("${kagi.passwords.algorithm:argon2}") String algorithm,
                                    @Value("${kagi.passwords.bcrypt-strength:11}") int strength) {
        if (!"argon2".equals(algorithm) && !"bcrypt".equals(algorithm)) {
            throw new IllegalStateException("kagi.passwords.algorithm is argon2 or bcrypt, not " + algorithm);
        }
        return new DelegatingPasswordEncoder(algorithm, Map.of(
                "bcrypt", new BCryptPasswordEncoder(strength),
                "argon2", new Argon2PasswordEncoder(16, 32, 1, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS)));
    }
}
