package io.kagi.bizweb.portal;

import java.io.Serial;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.kagi.signin.LoginRealm;
import io.kagi.signin.SignInAccount;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A portal user as the password factor sees them and as the session keeps them (the principal):
 * the company they belong to and their role. A phantom ({@code id == null}) answers for a login ID
 * that does not exist.
 */
public final class PortalAccount extends SignInAccount {

    @Serial
    private static final long serialVersionUID = 2L;

    /**
     * The portal's sign-in realm: a lock after five wrong passwords lasts until the company's master
     * or an administrator (or, for the master, the bank) unlocks it.
     */
    public static final LoginRealm REALM = new LoginRealm("portal", "bizweb_user", "LOGIN_LOCKED", Optional.empty());

    private final Long companyId;
    private final Role role;

    PortalAccount(Long id, Long companyId, String loginId, String displayName, Role role, boolean loginLocked,
                  String passwordHash) {
        super(id, loginId, displayName, loginLocked, passwordHash);
        this.companyId = companyId;
        this.role = role;
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

    @Override
    public Long companyId() {
        return companyId;
    }

    public Role role() {
        return role;
    }

    @Override
    public String auditSubject() {
        return "user:" + loginId();
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + role.name()));
    }

    @Override
    public String toString() {
        return "PortalAccount[id=" + id() + ", loginId=" + loginId() + ", role=" + role + "]";
    }
}
