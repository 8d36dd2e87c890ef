package io.kagi.bizweb;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@KagiIntegrationTest
@TestPropertySource(properties = "kagi.demo.enabled=true")
class DemoCompanyIntegrationTests {

    @Autowired
    DemoCompany demoCompany;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Test
    void printsFirstUseCredentialsThatMatchTheStoredHash() {
        String credentials = String.join("\n", demoCompany.lines());
        String temporaryPassword = credentials.substring(credentials.indexOf("仮ログインパスワード ") + "仮ログインパスワード ".length()).strip();

        String hash = jdbc.sql("SELECT temporary_password_hash FROM bizweb_company WHERE account_number = '1234567'")
                .query(String.class).single();

        assertThat(credentials).contains("支店番号 001", "口座番号 1234567");
        assertThat(temporaryPassword).hasSize(12);
        assertThat(hash).doesNotContain(temporaryPassword);
        assertThat(passwordEncoder.matches(temporaryPassword, hash)).isTrue();
    }
}
