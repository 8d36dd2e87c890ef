package io.kagi.authority;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rotation of a service's REST API secret.
 *
 * @param grace how long the secret replaced by a rotation is still accepted beside the new one, so
 *              that a relying party can switch its nodes without downtime (24 h; zero ends it at once)
 */
@ConfigurationProperties("kagi.authority.api-secret")
record ApiSecretProperties(@DefaultValue("24h") Duration grace) {

    ApiSecretProperties {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("kagi.authority.api-secret.grace is a duration of zero or more");
        }
    }
}
