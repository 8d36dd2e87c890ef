package io.kagi.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bank's operators (table {@code console_operator}): lookup for the password factor, the count
 * of consecutive wrong passwords (the fifth locks), and creation with a generated password. The
 * counting runs in transactions of its own (the login's request has none); creation and reset
 * write their audit row in their transaction.
 */
@Component
public class Operators {

    static final int LOCK_THRESHOLD = 5;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;
    private final AuditLog audit;
    private volatile String unmatchableHash;

    Operators(JdbcClient jdbc, PasswordEncoder passwordEncoder, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * The operator for the password factor. Never throws for an unknown login ID: a phantom with an
     * unmatchable hash answers instead (same timing). Not a {@code UserDetailsService} bean, so that
     * no other filter chain can ever log an operator in.
     */
    public UserDetails account(String loginId) {
        return find(loginId).orElseGet(() -> new OperatorAccount(null, loginId == null ? "" : loginId, "", "",
                OperatorAccount.Role.OPERATOR, false, unmatchableHash()));
    }

    /** A hash no password matches, made once on first need (so that start-up does not pay for it). */
    private String unmatchableHash() {
        String hash = unmatchableHash;
        if (hash == null) {
            hash = passwordEncoder.encode(java.util.UUID.randomUUID().toString());
            unmatchableHash = hash;
        }
        return hash;
    }

    Optional<OperatorAccount> find(String loginId) {
        return jdbc.sql("""
                        SELECT id, login_id, display_name, mail_address, role, login_locked_at, password_hash
                        FROM console_operator WHERE login_id = :loginId""")
                .param("loginId", loginId)
                .query((row, number) -> new OperatorAccount(row.getLong("id"), row.getString("login_id"),
                        row.getString("display_name"), row.getString("mail_address"),
                        OperatorAccount.Role.valueOf(row.getString("role")),
                        row.getObject("login_locked_at", OffsetDateTime.class) != null, row.getString("password_hash")))
                .optional();
    }

    boolean any() {
        return jdbc.sql("SELECT COUNT(*) FROM console_operator").query(Long.class).single() > 0;
    }

    /** Creates an operator with a fresh random password (12 characters), which is returned once. */
    @Transactional
    String create(String loginId, String displayName, String mailAddress, OperatorAccount.Role role, String actor) {
        String password = randomPassword();
        jdbc.sql("""
                        INSERT INTO console_operator (login_id, password_hash, display_name, mail_address, role, created_at)
                        VALUES (:loginId, :hash, :name, :mail, :role, :now)""")
                .param("loginId", loginId).param("hash", passwordEncoder.encode(password)).param("name", displayName)
                .param("mail", mailAddress).param("role", role.name()).param("now", now())
                .update();
        audit.record(AuditEvent.of("OPERATOR_CREATED", actor).subject("operator:" + loginId).detail("role", role.name()));
        return password;
    }

    /** Gives the operator a fresh random password (and unlocks the login); returns it once. */
    @Transactional
    String resetPassword(String loginId, String actor) {
        String password = randomPassword();
        jdbc.sql("""
                        UPDATE console_operator SET password_hash = :hash, failed_login_count = 0, login_locked_at = NULL
                        WHERE login_id = :loginId""")
                .param("hash", passwordEncoder.encode(password)).param("loginId", loginId)
                .update();
        audit.record(AuditEvent.of("OPERATOR_PASSWORD_RESET", actor).subject("operator:" + loginId));
        return password;
    }

    /** Counts one wrong password; returns whether the login is locked now. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean recordFailure(OperatorAccount account) {
        if (account.isPhantom()) {
            return false;
        }
        int counted = jdbc.sql("""
                        UPDATE console_operator
                        SET failed_login_count = failed_login_count + 1,
                            login_locked_at = CASE WHEN failed_login_count + 1 >= :threshold THEN :now ELSE NULL END
                        WHERE id = :id AND login_locked_at IS NULL""")
                .param("threshold", LOCK_THRESHOLD).param("now", now()).param("id", account.id())
                .update();
        boolean locked = jdbc.sql("SELECT login_locked_at IS NOT NULL FROM console_operator WHERE id = :id")
                .param("id", account.id()).query(Boolean.class).single();
        if (counted == 1 && locked) {
            audit.record(AuditEvent.of("OPERATOR_LOGIN_LOCKED", "system").subject(account.actor())
                    .detail("consecutiveFailures", String.valueOf(LOCK_THRESHOLD)));
        }
        return locked;
    }

    /** Resets the count after a right password; false when the login was locked meanwhile. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean recordSuccess(OperatorAccount account) {
        return jdbc.sql("UPDATE console_operator SET failed_login_count = 0 WHERE id = :id AND login_locked_at IS NULL")
                .param("id", account.id()).update() == 1;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static String randomPassword() {
        StringBuilder password = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
