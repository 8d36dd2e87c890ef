package io.kagi.bizweb.portal;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A portal user as the password factor sees them and as the session keeps them (the principal).
 * Small and serializable: the session lives in the database. The password hash is erased after
 * authentication and never printed.
 *
 * <p>An account with {@code id == null} is a <em>phantom</em>: what the login answers for a login
 * ID that does not exist, so that an unknown ID behaves exactly like a known one.
 */
public final class PortalAccount implements UserDetails, CredentialsContainer, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Long id;
    private final Long companyId;
    private final String loginId;
    private final String displayName;
    private final Role role;
    private final boolean loginLocked;
    private String passwordHash;

    PortalAccount(Long id, Long companyId, String loginId, String displayName, Role role, boolean loginLocked,
                  String passwordHash) {
        this.id = id;
        this.companyId = companyId;
        this.loginId = loginId;
        this.displayName = displayName;
        this.role = role;
        this.loginLocked = loginLocked;
        this.passwordHash = passwordHash;
    }

    static PortalAccount phantom(String loginId, boolean locked, String unmatchableHash) {
        return new PortalAccount(null, null, loginId, "", Role.GENERAL, locked, unmatchableHash);
    }

    /** The roles of a company's users. */
    public enum Role {
        /** マスターユーザ: made at first use; unlocked by the bank. */
        MASTER,
        /** 管理者ユーザ. */
        ADMIN,
        /** 一般ユーザ. */
        GENERAL
    }

    boolean isPhantom() {
        return id == null;
    }

    public Long id() {
        return id;
    }

    public Long companyId() {
        return companyId;
    }

    public String loginId() {
        return loginId;
    }

    String displayName() {
        return displayName;
    }

    public Role role() {
        return role;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
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
        return other instanceof PortalAccount account && loginId.equals(account.loginId);
    }

    @Override
    public int hashCode() {
        return loginId.hashCode();
    }

    @Override
    public String toString() {
        return "PortalAccount[id=" + id + ", loginId=" + loginId + ", role=" + role + "]";
    }
}
