package io.kagi.bizweb;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.kagi.platform.StartupNotice;
import io.kagi.platform.TemporaryPasswords;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The demo company of the embedded default ({@code kagi.demo.enabled}): created on first start,
 * and, until its first use is done, given a fresh temporary login password at every start, which
 * the start-up report prints. Never active in production.
 */
@Component
@ConditionalOnBooleanProperty("kagi.demo.enabled")
class DemoCompany implements ApplicationRunner, StartupNotice {

    static final String NAME = "株式会社おおぞら商事";
    static final String BRANCH = "001";
    static final String ACCOUNT_TYPE = "ORDINARY";
    static final String ACCOUNT_NUMBER = "1234567";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;
    private volatile List<String> notice = List.of();

    DemoCompany(JdbcClient jdbc, PasswordEncoder passwordEncoder, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        Optional<Boolean> firstUseDone = jdbc.sql("""
                        SELECT first_use_completed_at IS NOT NULL FROM bizweb_company
                        WHERE branch_code = :branch AND account_type = :type AND account_number = :number""")
                .param("branch", BRANCH).param("type", ACCOUNT_TYPE).param("number", ACCOUNT_NUMBER)
                .query(Boolean.class).optional();
        if (firstUseDone.orElse(false)) {
            notice = List.of("Demo company " + NAME + ": first use is done; log in with the login ID chosen then.");
            return;
        }
        String temporaryPassword = TemporaryPasswords.generate();
        String hash = passwordEncoder.encode(temporaryPassword);
        if (firstUseDone.isEmpty()) {
            jdbc.sql("""
                            INSERT INTO bizweb_company (name, branch_code, account_type, account_number,
                                                       temporary_password_hash, created_at)
                            VALUES (:name, :branch, :type, :number, :hash, :now)""")
                    .param("name", NAME).param("branch", BRANCH).param("type", ACCOUNT_TYPE)
                    .param("number", ACCOUNT_NUMBER).param("hash", hash)
                    .param("now", clock.instant().atOffset(ZoneOffset.UTC))
                    .update();
        } else {
            jdbc.sql("""
                            UPDATE bizweb_company SET temporary_password_hash = :hash
                            WHERE branch_code = :branch AND account_type = :type AND account_number = :number""")
                    .param("hash", hash).param("branch", BRANCH).param("type", ACCOUNT_TYPE)
                    .param("number", ACCOUNT_NUMBER)
                    .update();
        }
        notice = List.of(
                "Demo company " + NAME + " — first use (ログインID取得) on the login page with:",
                "    支店番号 " + BRANCH + "  科目 普通  口座番号 " + ACCOUNT_NUMBER
                        + "  仮ログインパスワード " + temporaryPassword);
    }

    @Override
    public List<String> lines() {
        return notice;
    }
}
