package io.kagi.bizweb;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Tokens;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/** Companies, users, notices and tokens for the portal's tests, written the way the bank and the console would. */
final class PortalTestData {

    static final ServiceId PORTAL = new ServiceId("12345678");
    private static final AtomicInteger ACCOUNTS = new AtomicInteger(2000000);

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;

    PortalTestData(JdbcClient jdbc, PasswordEncoder passwordEncoder, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ClockConfig {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return MutableClock.startingNow();
        }
    }

    record Company(long id, String accountNumber) {
    }

    /** A contract whose first use is still to do, with this temporary password. */
    Company company(String name, String temporaryPassword) {
        String accountNumber = String.valueOf(ACCOUNTS.incrementAndGet());
        jdbc.sql("""
                        INSERT INTO bizweb_company (name, branch_code, account_type, account_number, temporary_password_hash, created_at)
                        VALUES (:name, '101', 'ORDINARY', :number, :hash, :now)""")
                .param("name", name).param("number", accountNumber)
                .param("hash", passwordEncoder.encode(temporaryPassword)).param("now", now())
                .update();
        long id = jdbc.sql("SELECT id FROM bizweb_company WHERE account_number = :number")
                .param("number", accountNumber).query(Long.class).single();
        return new Company(id, accountNumber);
    }

    /** A company with its master user already set up; returns the user's id. */
    long masterUser(String loginId, String password, String displayName) {
        Company company = company("株式会社テスト" + loginId, "unused-temporary");
        jdbc.sql("UPDATE bizweb_company SET first_use_completed_at = :now, temporary_password_hash = NULL WHERE id = :id")
                .param("now", now()).param("id", company.id()).update();
        jdbc.sql("""
                        INSERT INTO bizweb_user (company_id, login_id, password_hash, display_name, mail_address, role,
                                                 password_changed_at, created_at)
                        VALUES (:company, :loginId, :hash, :name, :mail, 'MASTER', :now, :now)""")
                .param("company", company.id()).param("loginId", loginId).param("hash", passwordEncoder.encode(password))
                .param("name", displayName).param("mail", loginId + "@example.jp").param("now", now())
                .update();
        return jdbc.sql("SELECT id FROM bizweb_user WHERE login_id = :loginId").param("loginId", loginId).query(Long.class).single();
    }

    void notice(String title, String body, Instant from, Instant until, boolean withdrawn) {
        jdbc.sql("""
                        INSERT INTO bizweb_notice (title, body, publish_from, publish_until, withdrawn, created_at)
                        VALUES (:title, :body, :from, :until, :withdrawn, :now)""")
                .param("title", title).param("body", body).param("from", from.atOffset(ZoneOffset.UTC))
                .param("until", until == null ? null : until.atOffset(ZoneOffset.UTC)).param("withdrawn", withdrawn)
                .param("now", now())
                .update();
    }

    /** Issues a token to the portal user through the authority and activates it like the phone app. */
    static TestTokenDevice activeToken(Tokens tokens, String baseUrl, long userId) {
        IssueResult.Issued issued = (IssueResult.Issued) tokens.issue(PORTAL, new AccountRef("bizweb-user:" + userId),
                "phone" + userId + "@example.jp", "13572468".toCharArray(), Locale.JAPANESE,
                new ClientInfo("test", "127.0.0.1"));
        return TestTokenDevice.activate(baseUrl, PORTAL.digits(), issued.userId().digits(), "13572468");
    }

    private java.time.OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
