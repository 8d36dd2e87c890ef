package io.kagi.console;

import java.io.Serial;
import java.util.Collection;
import java.util.List;

import io.kagi.signin.SignInAccount;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An operator as the password factor sees them and as the session keeps them: their registered
 * mail address (where their token's notice goes) and their role. A phantom ({@code id == null})
 * answers for a login ID that does not exist.
 */
public final class OperatorAccount extends SignInAccount {

    @Serial
    private static final long serialVersionUID = 2L;

    private final String mailAddress;
    private final Role role;

    OperatorAccount(Long id, String loginId, String displayName, String mailAddress, Role role, boolean loginLocked,
                    String passwordHash) {
        super(id, loginId, displayName, loginLocked, passwordHash);
        this.mailAddress = mailAddress;
        this.role = role;
    }

    /**
     * The operators' roles. An AUDITOR only reads (every page that changes something answers 403);
     * an OPERATOR also writes notices (published once a supervisor approves) and retries mails; a
     * SUPERVISOR also creates contracts, unlocks and revokes, administers operators and approves
     * what another operator made under dual control ({@link PendingChanges}).
     */
    public enum Role { OPERATOR, SUPERVISOR, AUDITOR }

    public String mailAddress() {
        return mailAddress;
    }

    public Role role() {
        return role;
    }

    /** How the audit log names this operator. */
    public String actor() {
        return "operator:" + loginId();
    }

    @Override
    public String auditSubject() {
        return actor();
    }

    @Override
    public Long companyId() {
        return null;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_CONSOLE_" + role.name()));
    }

    @Override
    public String toString() {
        return "OperatorAccount[id=" + id() + ", loginId=" + loginId() + ", role=" + role + "]";
    }
}
