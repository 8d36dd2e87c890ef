package io.kagi.bizweb.portal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Finds a portal user by login ID for the password factor. A login ID that does not exist yields a
 * phantom account whose password never matches and which locks like a real one after five wrong
 * passwords, so the login page never tells whether a login ID exists.
 */
@Component
class PortalUsers implements UserDetailsService {

    private final JdbcClient jdbc;
    private final UnmatchableHash unmatchableHash;

    PortalUsers(JdbcClient jdbc, PasswordEncoder passwordEncoder) {
        this.jdbc = jdbc;
        this.unmatchableHash = new UnmatchableHash(passwordEncoder);
    }

    @Override
    public PortalAccount loadUserByUsername(String loginId) {
        return jdbc.sql("""
                        SELECT id, company_id, login_id, display_name, role, password_hash, login_locked_at
                        FROM bizweb_user WHERE login_id = :loginId""")
                .param("loginId", loginId)
                .query((row, number) -> new PortalAccount(row.getLong("id"), row.getLong("company_id"),
                        row.getString("login_id"), row.getString("display_name"),
                        PortalAccount.Role.valueOf(row.getString("role")),
                        row.getObject("login_locked_at") != null, row.getString("password_hash")))
                .optional()
                .orElseGet(() -> PortalAccount.phantom(loginId, unknownLoginLocked(loginId), unmatchableHash.value()));
    }

    private boolean unknownLoginLocked(String loginId) {
        return jdbc.sql("SELECT failed_login_count FROM bizweb_unknown_login WHERE login_id = :loginId")
                .param("loginId", loginId)
                .query(Integer.class)
                .optional()
                .map(count -> count >= LoginAttempts.LOCK_THRESHOLD)
                .orElse(false);
    }
}
