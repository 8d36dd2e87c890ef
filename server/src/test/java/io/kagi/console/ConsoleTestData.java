package io.kagi.console;

import java.time.Clock;
import java.time.OffsetDateTime;
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

/** Operators, their tokens and customers for the console's tests, written as the bank would set them up. */
public final class ConsoleTestData {

    public static final ServiceId CONSOLE = new ServiceId("99000001");
    public static final ServiceId PORTAL = new ServiceId("12345678");
    private static final AtomicInteger ACCOUNTS = new AtomicInteger(4000000);

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;

    public ConsoleTestData(JdbcClient jdbc, PasswordEncoder passwordEncoder, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class ClockConfig {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return MutableClock.startingNow();
        }
    }

    /** An operator with this password and role; returns the operator's id. */
    public long operator(String loginId, String password, String role) {
        jdbc.sql("""
                        INSERT INTO console_operator (login_id, password_hash, display_name, mail_address, role, created_at)
                        VALUES (:loginId, :hash, :name, :mail, :role, :now)""")
                .param("loginId", loginId).param("hash", passwordEncoder.encode(password))
                .param("name", "行員 " + loginId).param("mail", loginId + "@bank.example.jp").param("role", role)
                .param("now", now())
                .update();
        return jdbc.sql("SELECT id FROM console_operator WHERE login_id = :loginId").param("loginId", loginId)
                .query(Long.class).single();
    }

    /** Issues the operator's token at the console's service and activates it like the phone app. */
    public static TestTokenDevice operatorToken(Tokens tokens, String baseUrl, long operatorId) {
        IssueResult.Issued issued = (IssueResult.Issued) tokens.issue(CONSOLE,
                new AccountRef("console-operator:" + operatorId), "op" + operatorId + "@bank.example.jp",
                "86420975".toCharArray(), Locale.JAPANESE, new ClientInfo("test", "127.0.0.1"));
        return TestTokenDevice.activate(baseUrl, CONSOLE.digits(), issued.userId().digits(), "86420975");
    }

    /** A company with its master user set up; returns the user's id. */
    public long masterUser(String loginId, String password) {
        String accountNumber = String.valueOf(ACCOUNTS.incrementAndGet());
        jdbc.sql("""
                        INSERT INTO bizweb_company (name, branch_code, account_type, account_number, first_use_completed_at, created_at)
                        VALUES (:name, '201', 'ORDINARY', :number, :now, :now)""")
                .param("name", "株式会社検証" + loginId).param("number", accountNumber).param("now", now())
                .update();
        long companyId = jdbc.sql("SELECT id FROM bizweb_company WHERE account_number = :number")
                .param("number", accountNumber).query(Long.class).single();
        jdbc.sql("""
                        INSERT INTO bizweb_user (company_id, login_id, password_hash, display_name, mail_address, role,
                                                 password_changed_at, created_at)
                        VALUES (:company, :loginId, :hash, :name, :mail, 'MASTER', :now, :now)""")
                .param("company", companyId).param("loginId", loginId).param("hash", passwordEncoder.encode(password))
                .param("name", "検証 " + loginId).param("mail", loginId + "@example.jp").param("now", now())
                .update();
        return jdbc.sql("SELECT id FROM bizweb_user WHERE login_id = :loginId").param("loginId", loginId)
                .query(Long.class).single();
    }

    /** A mail the sender gave up on. */
    public long failedMail(String recipient) {
        jdbc.sql("""
                        INSERT INTO mail_outbox (kind, language, recipient, subject, body, status, attempts, last_error,
                                                 next_attempt_at, created_at, last_attempt_at)
                        VALUES ('token-issued', 'ja', :to, 'トークン発行のお知らせ', 'body', 'FAILED', 8,
                                '550 mailbox unavailable', :now, :now, :now)""")
                .param("to", recipient).param("now", now())
                .update();
        return jdbc.sql("SELECT MAX(id) FROM mail_outbox WHERE recipient = :to").param("to", recipient)
                .query(Long.class).single();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
