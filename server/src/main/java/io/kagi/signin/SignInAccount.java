package io.kagi.signin;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Someone who signs in with a login ID and a password, as the password factor sees them and as the
 * session keeps them (the principal): small and serializable, since the session lives in the
 * database. The password hash is erased after authentication and never printed.
 *
 * <p>An account with {@code id == null} is a <em>phantom</em>: what a realm answers for a login ID
 * that does not exist, so that an unknown ID costs the same time and locks the same way as a known
 * one.
 */
public abstract class SignInAccount implements UserDetails, CredentialsContainer, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Long id;
    private final String loginId;
    private final String displayName;
    private final boolean loginLocked;
    private String passwordHash;

    protected SignInAccount(Long id, String loginId, String displayName, boolean loginLocked, String passwordHash) {
        this.id = id;
        this.loginId = loginId == null ? "" : loginId;
        this.displayName = displayName == null ? "" : displayName;
        this.loginLocked = loginLocked;
        this.passwordHash = passwordHash;
    }

    public final boolean isPhantom() {
        return id == null;
    }

    public final Long id() {
        return id;
    }

    public final String loginId() {
        return loginId;
    }

    public final String displayName() {
        return displayName;
    }

    /** How the audit log names this account as the subject of an event, e.g. {@code user:taro01}. */
    public abstract String auditSubject();

    /** The company the account belongs to, for the audit log; {@code null} for the bank's own staff. */
    public abstract Long companyId();

    @Override
    public final String getPassword() {
        return passwordHash;
    }

    @Override
    public final String getUsername() {
        return loginId;
    }

    @Override
    public final boolean isAccountNonLocked() {
        return !loginLocked;
    }

    @Override
    public final void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && loginId.equals(((SignInAccount) other).loginId);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(getClass().getName(), loginId);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + id + ", loginId=" + loginId + "]";
    }
}
