package io.kagi.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.TemporaryPasswords;
import io.kagi.signin.LoginRealm;
import io.kagi.signin.PasswordPolicy;
import io.kagi.signin.SignIn;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bank's operators (table {@code console_operator}): look-up for the password factor (the
 * console's sign-in realm, {@link io.kagi.signin}) and every change of an operator — creation and
 * reset with a temporary password ({@link TemporaryPasswords}, to be replaced at the next login),
 * unlock, disable, enable, the operator's own password — each with its audit row in the caller's
 * transaction (or its own).
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

    /** An operator as the operators' page lists them. */
    public record Listed(long id, String loginId, String displayName, String mailAddress, OperatorAccount.Role role,
                         boolean loginLocked, boolean disabled, boolean passwordMustChange, Instant createdAt) {
    }

    /** Where a logged-in operator stands now (read on every console page). */
    public record Standing(boolean disabled, boolean passwordMustChange) {
    }

    /** What became of an operator's change of their own password. */
    public enum PasswordChange { CHANGED, CURRENT_WRONG }

    /**
     * The operator for the password factor. Never empty for an unknown login ID: a phantom with an
     * unmatchable hash answers instead (same timing, same lock). A disabled operator answers as a
     * phantom too, so their login is refused exactly like a wrong password, whatever they type. Not
     * a {@code UserDetailsService} bean, so that no other filter chain can ever log an operator in.
     */
    public OperatorAccount account(String loginId) {
        return find(loginId).filter(operator -> !isDisabled(operator.id()))
                .orElseGet(() -> new OperatorAccount(null, loginId, "", "", OperatorAccount.Role.AUDITOR,
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

    /** Every operator, by login ID. */
    public List<Listed> list() {
        return jdbc.sql(LISTED + " ORDER BY login_id").query((row, number) -> listed(row)).list();
    }

    public Optional<Listed> operator(long id) {
        return jdbc.sql(LISTED + " WHERE id = :id").param("id", id).query((row, number) -> listed(row)).optional();
    }

    public Optional<Standing> standing(long id) {
        return jdbc.sql("SELECT disabled_at, password_must_change FROM console_operator WHERE id = :id").param("id", id)
                .query((row, number) -> new Standing(row.getObject("disabled_at", OffsetDateTime.class) != null,
                        row.getBoolean("password_must_change")))
                .optional();
    }

    boolean any() {
        return jdbc.sql("SELECT COUNT(*) FROM console_operator").query(Long.class).single() > 0;
    }

    /** Supervisors who can log in (not disabled). */
    long activeSupervisors() {
        return jdbc.sql("SELECT COUNT(*) FROM console_operator WHERE role = 'SUPERVISOR' AND disabled_at IS NULL")
                .query(Long.class).single();
    }

    boolean exists(String loginId) {
        return find(loginId).isPresent();
    }

    /**
     * Creates an operator with a temporary password (12 characters), which is returned once and must
     * be replaced at their first login.
     */
    @Transactional
    String create(String loginId, String displayName, String mailAddress, OperatorAccount.Role role, String actor,
                  String address) {
        String password = TemporaryPasswords.generate();
        jdbc.sql("""
                        INSERT INTO console_operator (login_id, password_hash, display_name, mail_address, role,
                                                      password_must_change, created_at)
                        VALUES (:loginId, :hash, :name, :mail, :role, TRUE, :now)""")
                .param("loginId", loginId).param("hash", passwordEncoder.encode(password)).param("name", displayName)
                .param("mail", mailAddress).param("role", role.name()).param("now", now())
                .update();
        audit.record(AuditEvent.of("OPERATOR_CREATED", actor).subject("operator:" + loginId).from(address)
                .detail("role", role.name()));
        return password;
    }

    /**
     * Gives the operator a temporary password (to be replaced at the next login) and ends their
     * lock; returns it once, or empty when there is no such operator.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<String> resetPassword(long id, String actor, String address) {
        String password = TemporaryPasswords.generate();
        return changed(id, """
                        UPDATE console_operator SET password_hash = :hash, password_must_change = TRUE,
                                                    failed_login_count = 0, login_locked_at = NULL
                        WHERE id = :id""", password, "OPERATOR_PASSWORD_RESET", actor, address)
                .map(loginId -> password);
    }

    /** Ends the operator's lock; false when there is no such operator. */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean unlock(long id, String actor, String address) {
        return changed(id, "UPDATE console_operator SET failed_login_count = 0, login_locked_at = NULL WHERE id = :id",
                null, "OPERATOR_UNLOCKED", actor, address).isPresent();
    }

    /** Disables the operator (they can no longer log in); false when already disabled or unknown. */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean disable(long id, String actor, String address) {
        return changed(id, "UPDATE console_operator SET disabled_at = :now WHERE id = :id AND disabled_at IS NULL",
                null, "OPERATOR_DISABLED", actor, address).isPresent();
    }

    /** Lets a disabled operator log in again; false when not disabled or unknown. */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean enable(long id, String actor, String address) {
        return changed(id, "UPDATE console_operator SET disabled_at = NULL WHERE id = :id AND disabled_at IS NOT NULL",
                null, "OPERATOR_ENABLED", actor, address).isPresent();
    }

    /**
     * The operator's own new password, after their current one (the caller has checked the new one
     * against {@link PasswordPolicy}); it no longer has to be changed.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    PasswordChange changePassword(OperatorAccount operator, String currentPassword, String newPassword, String address) {
        String hash = jdbc.sql("SELECT password_hash FROM console_operator WHERE id = :id").param("id", operator.id())
                .query(String.class).single();
        if (!passwordEncoder.matches(PasswordPolicy.normalise(currentPassword), hash)) {
            audit.record(AuditEvent.of("OPERATOR_PASSWORD_CHANGE_REFUSED", operator.actor()).subject(operator.actor())
                    .from(address).detail("reason", "current-password-wrong"));
            return PasswordChange.CURRENT_WRONG;
        }
        jdbc.sql("""
                        UPDATE console_operator SET password_hash = :hash, password_must_change = FALSE
                        WHERE id = :id""")
                .param("hash", passwordEncoder.encode(PasswordPolicy.normalise(newPassword))).param("id", operator.id())
                .update();
        audit.record(AuditEvent.of("OPERATOR_PASSWORD_CHANGED", operator.actor()).subject(operator.actor()).from(address));
        return PasswordChange.CHANGED;
    }

    /** Runs {@code update} on operator {@code id}; on a changed row records {@code event} and gives the login ID. */
    private Optional<String> changed(long id, String update, String password, String event, String actor, String address) {
        Optional<String> loginId = jdbc.sql("SELECT login_id FROM console_operator WHERE id = :id").param("id", id)
                .query(String.class).optional();
        if (loginId.isEmpty()) {
            return Optional.empty();
        }
        var statement = jdbc.sql(update).param("id", id);
        if (update.contains(":now")) {
            statement = statement.param("now", now());
        }
        if (password != null) {
            statement = statement.param("hash", passwordEncoder.encode(password));
        }
        if (statement.update() != 1) {
            return Optional.empty();
        }
        signIn.forgetWaits(realm, loginId.get());
        audit.record(AuditEvent.of(event, actor).subject("operator:" + loginId.get()).from(address));
        return loginId;
    }

    private boolean isDisabled(Long id) {
        return standing(id).map(Standing::disabled).orElse(true);
    }

    private static final String LISTED = """
            SELECT id, login_id, display_name, mail_address, role, login_locked_at, disabled_at, password_must_change,
                   created_at
            FROM console_operator""";

    private Listed listed(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Listed(row.getLong("id"), row.getString("login_id"), row.getString("display_name"),
                row.getString("mail_address"), OperatorAccount.Role.valueOf(row.getString("role")),
                realm.isLocked(instant(row.getObject("login_locked_at", OffsetDateTime.class)), clock.instant()),
                row.getObject("disabled_at", OffsetDateTime.class) != null, row.getBoolean("password_must_change"),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
