package io.kagi.bizweb.portal;

import io.kagi.bizweb.users.UserForms;
import io.kagi.signin.PasswordPolicy;
import io.kagi.signin.SignIn;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

/**
 * The users of a company as the work screens need them, always read fresh from the database (the
 * session's {@link PortalAccount} keeps the role it had at login; a role or right changed since
 * must count at once). Every lookup by id is scoped to the acting user's company, so an id of
 * another company is simply not found.
 */
@Component
public class Colleagues {

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Clock clock;
    private final SignIn signIn;

    Colleagues(JdbcClient jdbc, PasswordEncoder passwordEncoder, AuditLog audit, Clock clock, SignIn signIn) {
        this.signIn = signIn;
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.clock = clock;
    }

    /** A company's user as stored now. */
    public record Colleague(long id, long companyId, String loginId, String displayName, String mailAddress,
                     PortalAccount.Role role, boolean approvalRight, boolean loginLocked, boolean mustChangePassword,
                     Long createdBy) {

        /** The master always approves; an administrator with the approval right does. */
        public boolean canApprove() {
            return role == PortalAccount.Role.MASTER || (role == PortalAccount.Role.ADMIN && approvalRight);
        }

        /** 利用者管理 is for the master and the administrators. */
        public boolean canAdministerUsers() {
            return role == PortalAccount.Role.MASTER || role == PortalAccount.Role.ADMIN;
        }

        /**
         * Whether this user may approve a request of {@code requester} (docs/security.md T17): never
         * their own, and never when one of the two created the other — unless the creator is the
         * master, the contract's holder at the bank. So an administrator cannot make a second
         * identity (a "puppet", whose initial password and token they control) that approves their
         * requests, or whose requests they approve.
         */
        public boolean mayApproveFor(Colleague requester) {
            return canApprove() && requester.id() != id
                    && !(createdBy != null && createdBy == requester.id() && requester.role() != PortalAccount.Role.MASTER)
                    && !(requester.createdBy() != null && requester.createdBy() == id && role != PortalAccount.Role.MASTER);
        }

        /** Whether this user may administer {@code target}: never themselves, and an administrator never the master. */
        public boolean mayAdminister(Colleague target) {
            return canAdministerUsers() && target.companyId() == companyId && target.id() != id
                    && !(role == PortalAccount.Role.ADMIN && target.role() == PortalAccount.Role.MASTER);
        }
    }

    private static final String COLUMNS = """
            SELECT id, company_id, login_id, display_name, mail_address, role, approval_right, login_locked_at,
                   password_must_change, created_by FROM bizweb_user""";

    private static final RowMapper<Colleague> ROW = (row, number) -> new Colleague(row.getLong("id"),
            row.getLong("company_id"), row.getString("login_id"), row.getString("display_name"),
            row.getString("mail_address"), PortalAccount.Role.valueOf(row.getString("role")),
            row.getBoolean("approval_right"), row.getObject("login_locked_at") != null,
            row.getBoolean("password_must_change"), row.getObject("created_by", Long.class));

    /** The logged-in user as stored now. */
    public Colleague current(PortalAccount user) {
        return jdbc.sql(COLUMNS + " WHERE id = :id").param("id", user.id()).query(ROW).single();
    }

    /** A user of {@code companyId}; empty for an id of another company or none at all. */
    public Optional<Colleague> find(long companyId, long id) {
        return jdbc.sql(COLUMNS + " WHERE id = :id AND company_id = :company")
                .param("id", id).param("company", companyId).query(ROW).optional();
    }

    public List<Colleague> ofCompany(long companyId) {
        return jdbc.sql(COLUMNS + " WHERE company_id = :company ORDER BY CASE role WHEN 'MASTER' THEN 0 WHEN 'ADMIN' THEN 1 ELSE 2 END, login_id")
                .param("company", companyId).query(ROW).list();
    }

    /** Who can approve a request of {@code requester}: the company's approvers but the requester. */
    public List<Colleague> approversFor(Colleague requester) {
        return ofCompany(requester.companyId()).stream().filter(other -> other.mayApproveFor(requester)).toList();
    }

    /**
     * Adds a user, created by {@code createdBy}, who must change {@code initialPassword} at first
     * login; empty when the login ID is taken.
     */
    public Optional<Long> add(long companyId, long createdBy, UserForms.NewUser form, String initialPassword) {
        OffsetDateTime now = now();
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        // ON CONFLICT DO NOTHING rather than catching the duplicate key: on PostgreSQL a failed statement
        // aborts the caller's transaction, which holds the one-time form and the user's code.
        int inserted = jdbc.sql("""
                        INSERT INTO bizweb_user (company_id, login_id, password_hash, display_name, mail_address, role,
                                                 approval_right, password_must_change, password_changed_at, created_at,
                                                 created_by)
                        VALUES (:company, :loginId, :hash, :name, :mail, :role, :right, TRUE, :now, :now, :createdBy)
                        ON CONFLICT DO NOTHING""")
                .param("company", companyId).param("loginId", form.loginId())
                .param("hash", passwordEncoder.encode(initialPassword)).param("name", form.displayName().strip())
                .param("mail", form.mailAddress()).param("role", form.role())
                .param("right", form.effectiveApprovalRight()).param("now", now).param("createdBy", createdBy)
                .update(key, "id");
        if (inserted == 0) {
            return Optional.empty();
        }
        return Optional.of(key.getKey().longValue());
    }

    /** Sets the role and approval right of a non-master user of the company; false when nothing changed. */
    public boolean changeRole(long companyId, long id, String role, boolean approvalRight) {
        return jdbc.sql("""
                        UPDATE bizweb_user SET role = :role, approval_right = :right
                        WHERE id = :id AND company_id = :company AND role <> 'MASTER'""")
                .param("role", role).param("right", "ADMIN".equals(role) && approvalRight)
                .param("id", id).param("company", companyId).update() == 1;
    }

    public boolean lockLogin(long companyId, long id) {
        return jdbc.sql("""
                        UPDATE bizweb_user SET login_locked_at = :now
                        WHERE id = :id AND company_id = :company AND login_locked_at IS NULL""")
                .param("now", now()).param("id", id).param("company", companyId).update() == 1;
    }

    public boolean unlockLogin(long companyId, long id) {
        boolean unlocked = jdbc.sql("""
                        UPDATE bizweb_user SET login_locked_at = NULL, failed_login_count = 0
                        WHERE id = :id AND company_id = :company AND login_locked_at IS NOT NULL""")
                .param("id", id).param("company", companyId).update() == 1;
        if (unlocked) {
            signIn.forgetWaits(PortalAccount.REALM, jdbc.sql("SELECT login_id FROM bizweb_user WHERE id = :id")
                    .param("id", id).query(String.class).single());
        }
        return unlocked;
    }

    public boolean passwordMatches(long id, String password) {
        return jdbc.sql("SELECT password_hash FROM bizweb_user WHERE id = :id").param("id", id).query(String.class)
                .optional().map(hash -> passwordEncoder.matches(PasswordPolicy.normalise(password), hash)).orElse(false);
    }

    /**
     * BPWD001: replaces the user's initial password, once (only while it must be changed), with its
     * audit row in the same transaction; false when it was changed already (a form sent twice).
     */
    @Transactional
    public boolean changeInitialPassword(PortalAccount user, String password, String address) {
        boolean changed = jdbc.sql("""
                        UPDATE bizweb_user SET password_hash = :hash, password_must_change = FALSE, password_changed_at = :now
                        WHERE id = :id AND password_must_change = TRUE""")
                .param("hash", passwordEncoder.encode(PasswordPolicy.normalise(password))).param("now", now()).param("id", user.id()).update() == 1;
        if (changed) {
            audit.record(AuditEvent.of("PASSWORD_CHANGED", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(address).detail("reason", "initial"));
        }
        return changed;
    }

    public boolean mustChangePassword(long id) {
        return jdbc.sql("SELECT password_must_change FROM bizweb_user WHERE id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
