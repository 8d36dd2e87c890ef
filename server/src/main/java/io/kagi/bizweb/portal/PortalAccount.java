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
    /**
     * What the sign-in read with the account and its success handler needs once: not kept in the
     * session (transient, so null in a session read back), where it would go stale.
     */
    private final transient SignInFacts atSignIn;

    PortalAccount(Long id, Long companyId, String loginId, String displayName, Role role, boolean loginLocked,
                  String passwordHash, SignInFacts atSignIn) {
        super(id, loginId, displayName, loginLocked, passwordHash);
        this.companyId = companyId;
        this.role = role;
        this.atSignIn = atSignIn;
    }

    static PortalAccount phantom(String loginId, boolean locked, String unmatchableHash) {
        return new PortalAccount(null, null, loginId, "", Role.GENERAL, locked, unmatchableHash,
                new SignInFacts(CertificateLogin.LoginMethods.BOTH, false));
    }

    /**
     * Read in the same statement as the account when its password is checked, so that the login's
     * success needs no further look-up (issue 24): the user's ways in and whether the initial password
     * must be changed first.
     */
    record SignInFacts(CertificateLogin.LoginMethods loginMethods, boolean passwordMustChange) {
    }

    /** The facts read with the account at this sign-in; empty for a principal read back from the session. */
    Optional<SignInFacts> atSignIn() {
        return Optional.ofNullable(atSignIn);
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
