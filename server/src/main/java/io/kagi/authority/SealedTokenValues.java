package io.kagi.authority;

import io.kagi.platform.SealedColumn;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The authority's values sealed at rest and the contexts they are sealed for (the row's id follows
 * the prefix): the platform's re-seal moves them to the active key after a key rotation.
 */
@Configuration(proxyBeanMethods = false)
class SealedTokenValues {

    static final String SEED = "token-seed:";
    static final String VERIFIER = "token-verifier:";
    static final String STATUS_KEY = "token-status-key:";
    static final String EXCHANGE = "activation-session:";

    @Bean
    SealedColumn tokenSeeds() {
        return new SealedColumn("authority_token", "id", "seed_sealed", SEED, "seed_key_id");
    }

    @Bean
    SealedColumn pendingVerifiers() {
        return new SealedColumn("authority_token", "id", "srp_verifier_sealed", VERIFIER, null);
    }

    @Bean
    SealedColumn tokenStatusKeys() {
        return new SealedColumn("authority_token", "id", "status_key_sealed", STATUS_KEY, null);
    }

    @Bean
    SealedColumn exchangeValues() {
        return new SealedColumn("authority_activation_session", "id", "server_private_sealed", EXCHANGE, null);
    }
}
