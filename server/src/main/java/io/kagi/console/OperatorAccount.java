package io.kagi.console;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * An operator as the password factor sees them and as the session keeps them. Serializable (the
 * session lives in the database); the password hash is erased after authentication and never
 * printed. An account with {@code id == null} is a phantom, answered for an unknown login ID.
 */
public final class OperatorAccount implements UserDetails, CredentialsContainer, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Long id;
    private final String loginId;
    private final String displayName;
    private final String mailAddress;
    private final Role role;
    private final boolean loginLocked;
    private String passwordHash;

    OperatorAccount(Long id, String loginId, String displayName, String mailAddress, Role role, boolean loginLocked,
                    String passwordHash) {
        this.id = id;
        this.loginId = loginId;
        this.displayName = displayName;
        this.mailAddress = mailAddress;
        this.role = role;
        this.loginLocked = loginLocked;
        this.passwordHash = passwordHash;
    }

    /**
     * The operators' roles. An OPERATOR searches, reads the audit log, writes notices and retries
     * mails; a SUPERVISOR also creates contracts, unlocks and revokes.
     */
    public enum Role { OPERATOR, SUPERVISOR }

    public boolean isPhantom() {
        return id == null;
    }

    public Long id() {
        return id;
    }

    public String loginId() {
        return loginId;
    }

    public String displayName() {
        return displayName;
    }

    public String mailAddress() {
        return mailAddress;
    }

    public Role role() {
        return role;
    }

    /** How the audit log names this operator. */
    public String actor() {
        return "operator:" + loginId;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_CONSOLE_" + role.name()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return loginId;
    }

    @Override
    public boolean isAccountNonLocked() {
        return !loginLocked;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OperatorAccount account && loginId.equals(account.loginId);
    }

    @Override
    public int hashCode() {
        return loginId.hashCode();
    }

    @Override
    public String toString() {
        return "OperatorAccount[id=" + id + ", loginId=" + loginId + ", role=" + role + "]";
    }
}
