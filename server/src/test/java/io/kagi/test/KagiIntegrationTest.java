package io.kagi.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A test of the whole application over real HTTP on a random port, on the database that
 * {@link DatabaseUnderTest} chooses. Tagged {@code database}: the build runs these once on H2 and
 * once more on PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("database")
@ExtendWith(DatabaseUnderTest.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kagi.demo.enabled=false",
        "management.server.port=0",
        "kagi.data-dir=target/test-data",
        "kagi.passwords.algorithm=bcrypt",
        "kagi.passwords.bcrypt-strength=4",
        // Spring keeps up to 12 test contexts (src/test/resources/spring.properties); each holds one idle
        // connection, not ten, so that all of them stay within PostgreSQL's 100 connections.
        "spring.datasource.hikari.minimum-idle=1",
        "spring.datasource.hikari.idle-timeout=10000",
        // Every test activates from 127.0.0.1; the authority's own tests check the limit at its default.
        "kagi.authority.activation.per-address-per-hour=10000",
        // Every test logs in from 127.0.0.1; SignInThrottleIntegrationTests checks the throttle at its default.
        "kagi.signin.free-per-address=100000",
        // The token app's origin of its own on a free port (Origins says which).
        "kagi.app.port=0",
        // The HTTPS connector of 電子証明書ログイン on a free port (ClientCertificateTls.HttpsEndpoint says which).
        "kagi.certificates.https-port=0"
})
@ContextConfiguration(initializers = DatabaseUnderTest.class)
public @interface KagiIntegrationTest {
}
