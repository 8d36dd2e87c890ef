package io.kagi.bizweb.portal;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.signin.LoginRealm;
import io.kagi.signin.SignIn;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The portal's users as the password factor finds them, and the portal's sign-in realm: a lock after
 * five wrong passwords lasts until the company's master or an administrator (or, for the master, the
 * bank) unlocks it. A login ID that does not exist yields a phantom account whose password never
 * matches and which locks like a real one, so the login page never tells whether a login ID exists.
 * A user of a company the bank has suspended ({@code bizweb_company.suspended_at}) is treated as
 * locked until the bank resumes the company.
 */
@Component
class PortalUsers {

    private static final LoginRealm REALM = PortalAccount.REALM;

    private final JdbcClient jdbc;
    private final SignIn signIn;

    PortalUsers(JdbcClient jdbc, SignIn signIn) {
        this.jdbc = jdbc;
        this.signIn = signIn;
    }

    PortalAccount account(String loginId) {
        return find(loginId).orElseGet(() -> PortalAccount.phantom(loginId, signIn.isUnknownLoginLocked(REALM, loginId),
                signIn.phantomPasswordHash()));
    }

    Optional<PortalAccount> find(String loginId) {
        return jdbc.sql("""
                        SELECT u.id, u.company_id, u.login_id, u.display_name, u.role, u.password_hash,
                               u.login_locked_at, u.login_methods, u.password_must_change, c.suspended_at
                        FROM bizweb_user u JOIN bizweb_company c ON c.id = u.company_id WHERE u.login_id = :loginId""")
                .param("loginId", loginId)
                .query((row, number) -> new PortalAccount(row.getLong("id"), row.getLong("company_id"),
                        row.getString("login_id"), row.getString("display_name"),
                        PortalAccount.Role.valueOf(row.getString("role")),
                        row.getObject("login_locked_at", OffsetDateTime.class) != null
                                || row.getObject("suspended_at", OffsetDateTime.class) != null,
                        row.getString("password_hash"),
                        new PortalAccount.SignInFacts(CertificateLogin.LoginMethods.valueOf(row.getString("login_methods")),
                                row.getBoolean("password_must_change"))))
                .optional();
    }

    /**
     * The audit row of a refused login: it names the user when the typed login ID exists, and
     * otherwise only a keyed digest of what was typed (which may be a password in the wrong field).
     */
    AuditEvent refusedLogin(AuditEvent event, String loginId) {
        if (loginId == null) {
            return event;
        }
        return find(loginId).map(user -> event.company(user.companyId()).subject(user.auditSubject()))
                .orElseGet(() -> event.subject(signIn.unknownLoginSubject(REALM, loginId)));
    }
}
