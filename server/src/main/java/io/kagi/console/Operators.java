package io.kagi.console;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.TemporaryPasswords;
import io.kagi.signin.LoginRealm;
import io.kagi.signin.SignIn;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bank's operators (table {@code console_operator}): look-up for the password factor (the
 * console's sign-in realm, {@link io.kagi.signin}), and creation and reset with a temporary
 * password ({@link TemporaryPasswords}), each with its audit row in its transaction.
 */
@Component
public class Operators {

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final Clock clock;
    private final AuditLog audit;
    private final SignIn signIn;
    private final LoginRealm realm;

    Operators(JdbcClient jdbc, PasswordEncoder passwordEncoder, Clock clock, AuditLog audit, SignIn signIn,
              @Value("${kagi.console.login-lock-duration:30m}") Duration lockLasts) {
        this.signIn = signIn;
        this.realm = new LoginRealm("console", "console_operator", "OPERATOR_LOGIN_LOCKED", Optional.of(lockLasts));
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * The operator for the password factor. Never empty for an unknown login ID: a phantom with an
     * unmatchable hash answers instead (same timing, same lock). Not a {@code UserDetailsService}
     * bean, so that no other filter chain can ever log an operator in.
     */
    public OperatorAccount account(String loginId) {
        return find(loginId).orElseGet(() -> new OperatorAccount(null, loginId, "", "", OperatorAccount.Role.OPERATOR,
                signIn.isUnknownLoginLocked(realm, loginId), signIn.phantomPasswordHash()));
    }

    /** The console's sign-in realm: a lock lasts {@code kagi.console.login-lock-duration} (or until a supervisor unlocks). */
    public LoginRealm realm() {
        return realm;
    }

    /**
     * The audit row of a refused login: the operator when the login ID exists, otherwise only a keyed
     * digest of what was typed.
     */
    AuditEvent refusedLogin(AuditEvent event, String loginId) {
        if (loginId == null) {
            return event;
        }
        return find(loginId).map(operator -> event.subject(operator.auditSubject()))
                .orElseGet(() -> event.subject(signIn.unknownLoginSubject(realm, loginId)));
    }

    Optional<OperatorAccount> find(String loginId) {
        return jdbc.sql("""
                        SELECT id, login_id, display_name, mail_address, role, login_locked_at, password_hash
                        FROM console_operator WHERE login_id = :loginId""")
                .param("loginId", loginId)
                .query((row, number) -> new OperatorAccount(row.getLong("id"), row.getString("login_id"),
                        row.getString("display_name"), row.getString("mail_address"),
                        OperatorAccount.Role.valueOf(row.getString("role")),
                        realm.isLocked(instant(row.getObject("login_locked_at", OffsetDateTime.class)), clock.instant()),
                        row.getString("password_hash")))
                .optional();
    }

    boolean any() {
        return jdbc.sql("SELECT COUNT(*) FROM console_operator").query(Long.class).single() > 0;
    }

    /** Creates an operator with a fresh random password (12 characters), which is returned once. */
    @Transactional
    String create(String loginId, String displayName, String mailAddress, OperatorAccount.Role role, String actor) {
        String password = TemporaryPasswords.generate();
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
        String password = TemporaryPasswords.generate();
        jdbc.sql("""
                        UPDATE console_operator SET password_hash = :hash, failed_login_count = 0, login_locked_at = NULL
                        WHERE login_id = :loginId""")
                .param("hash", passwordEncoder.encode(password)).param("loginId", loginId)
                .update();
        signIn.forgetWaits(realm, loginId);
        audit.record(AuditEvent.of("OPERATOR_PASSWORD_RESET", actor).subject("operator:" + loginId));
        return password;
    }

    private static java.time.Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
