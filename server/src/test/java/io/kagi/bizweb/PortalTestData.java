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
public final class PortalTestData {

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

    /** Another user of the master user's company; returns the new user's id. */
    long colleague(long masterId, String loginId, String password, String displayName, String role, boolean approvalRight) {
        long companyId = companyOf(masterId);
        jdbc.sql("""
                        INSERT INTO bizweb_user (company_id, login_id, password_hash, display_name, mail_address, role,
                                                 approval_right, password_changed_at, created_at)
                        VALUES (:company, :loginId, :hash, :name, :mail, :role, :right, :now, :now)""")
                .param("company", companyId).param("loginId", loginId).param("hash", passwordEncoder.encode(password))
                .param("name", displayName).param("mail", loginId + "@example.jp").param("role", role)
                .param("right", approvalRight).param("now", now())
                .update();
        return jdbc.sql("SELECT id FROM bizweb_user WHERE login_id = :loginId").param("loginId", loginId).query(Long.class).single();
    }

    long companyOf(long userId) {
        return jdbc.sql("SELECT company_id FROM bizweb_user WHERE id = :id").param("id", userId).query(Long.class).single();
    }

    /** A payee of the user's company, as 振込先管理 would have registered it; returns its id. */
    long payee(long userId, String accountNumber, String holderName) {
        jdbc.sql("""
                        INSERT INTO bizweb_payee (company_id, bank_code, branch_code, account_type, account_number, holder_name,
                                                  created_at, updated_at)
                        VALUES (:company, '0005', '123', 'ORDINARY', :number, :holder, :now, :now)""")
                .param("company", companyOf(userId)).param("number", accountNumber).param("holder", holderName)
                .param("now", now())
                .update();
        return jdbc.sql("SELECT MAX(id) FROM bizweb_payee WHERE company_id = :company")
                .param("company", companyOf(userId)).query(Long.class).single();
    }

    /** A pending transfer request of {@code requesterId} to {@code approverId}; returns its id. */
    long transferRequest(long requesterId, long approverId, long payeeId, long amount) {
        jdbc.sql("""
                        INSERT INTO bizweb_approval_request (company_id, kind, summary, requested_by, approver_id, status,
                               requested_at, payee_id, bank_code, branch_code, account_type, account_number, holder_name,
                               amount, transfer_date)
                        SELECT p.company_id, 'TRANSFER', 'test', :requester, :approver, 'PENDING', :now, p.id, p.bank_code,
                               p.branch_code, p.account_type, p.account_number, p.holder_name, :amount, :date
                        FROM bizweb_payee p WHERE p.id = :payee""")
                .param("requester", requesterId).param("approver", approverId).param("now", now())
                .param("amount", amount).param("date", java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Tokyo"))))
                .param("payee", payeeId)
                .update();
        return jdbc.sql("SELECT MAX(id) FROM bizweb_approval_request WHERE requested_by = :requester")
                .param("requester", requesterId).query(Long.class).single();
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
    public static TestTokenDevice activeToken(Tokens tokens, String baseUrl, long userId) {
        IssueResult.Issued issued = (IssueResult.Issued) tokens.issue(PORTAL, new AccountRef("bizweb-user:" + userId),
                "phone" + userId + "@example.jp", "13572468".toCharArray(), Locale.JAPANESE,
                new ClientInfo("test", "127.0.0.1"));
        return TestTokenDevice.activate(baseUrl, PORTAL.digits(), issued.userId().digits(), "13572468");
    }

    private java.time.OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
