package io.kagi.bizweb;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/** Finds a portal user by login ID for the password factor. */
@Component
class PortalUsers implements UserDetailsService {

    private final JdbcClient jdbc;

    PortalUsers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public UserDetails loadUserByUsername(String loginId) {
        return jdbc.sql("SELECT login_id, password_hash, role, login_locked_at FROM bizweb_user WHERE login_id = :loginId")
                .param("loginId", loginId)
                .query((row, number) -> User.withUsername(row.getString("login_id"))
                        .password(row.getString("password_hash"))
                        .roles(row.getString("role"))
                        .accountLocked(row.getObject("login_locked_at") != null)
                        .build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("No such login ID"));
    }
}
