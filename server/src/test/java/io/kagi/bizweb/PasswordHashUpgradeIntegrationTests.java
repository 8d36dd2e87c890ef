package io.kagi.bizweb;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Argon2id is the production default for new password hashes (issue 24); a user whose hash is an
 * older bcrypt one logs in as before and leaves with an Argon2id hash, once, with its audit row.
 */
@KagiIntegrationTest
@TestPropertySource(properties = "kagi.passwords.algorithm=argon2")
@Import(PortalTestData.ClockConfig.class)
class PasswordHashUpgradeIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    @Test
    void aBcryptHashIsReplacedByArgon2idAtTheNextLogin() {
        long user = new PortalTestData(jdbc, passwordEncoder, clock).masterUser("rehash01", "Rehash-pass-2026", "更新 太郎");
        assertThat(hash(user)).startsWith("{argon2}$argon2id$v=19$m=19456,t=2,p=1$");
        jdbc.sql("UPDATE bizweb_user SET password_hash = :hash WHERE id = :id")
                .param("hash", "{bcrypt}" + new BCryptPasswordEncoder(4).encode("Rehash-pass-2026")).param("id", user).update();

        assertThat(PortalClient.location(new PortalClient(url()).logIn("rehash01", "Rehash-pass-2026"))).doesNotContain("/bizweb/login");

        assertThat(hash(user)).startsWith("{argon2}$argon2id$");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'PASSWORD_HASH_UPGRADED' AND subject = 'user:rehash01'")
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(PortalClient.location(new PortalClient(url()).logIn("rehash01", "Rehash-pass-2026"))).doesNotContain("/bizweb/login");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'PASSWORD_HASH_UPGRADED' AND subject = 'user:rehash01'")
                .query(Integer.class).single()).isEqualTo(1);
    }

    private String hash(long user) {
        return jdbc.sql("SELECT password_hash FROM bizweb_user WHERE id = :id").param("id", user).query(String.class).single();
    }

    private String url() {
        return "http://localhost:" + port;
    }
}
