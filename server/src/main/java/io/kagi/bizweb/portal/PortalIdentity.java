package io.kagi.bizweb.portal;

import java.util.Optional;

import io.kagi.signin.LoginRefusal;
import io.kagi.signin.SignIn;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * A portal user proving who they are outside a login (電子証明書発行 from BLGI001): the login ID and password
 * through the same password factor as BLGI001 (throttle, lock after five wrong passwords, phantom for an
 * unknown login ID), without a session.
 */
@Component
public class PortalIdentity {

    private final ProviderManager passwords;
    private final PortalUsers users;
    private final JdbcClient jdbc;

    PortalIdentity(SignIn signIn, PortalUsers users, JdbcClient jdbc) {
        this.passwords = new ProviderManager(signIn.passwordFactor(PortalAccount.REALM, users::account));
        this.users = users;
        this.jdbc = jdbc;
    }

    /** The outcome of {@link #prove}. */
    public sealed interface Proof permits Proof.Proven, Proof.Refused {
        record Proven(PortalAccount user) implements Proof {
        }

        record Refused(LoginRefusal refusal) implements Proof {
        }
    }

    public Proof prove(String loginId, String password, HttpServletRequest request) {
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(
                loginId == null ? "" : loginId, password == null ? "" : password);
        token.setDetails(new WebAuthenticationDetails(request));
        try {
            Authentication authentication = passwords.authenticate(token);
            return new Proof.Proven((PortalAccount) authentication.getPrincipal());
        } catch (AuthenticationException e) {
            return new Proof.Refused(LoginRefusal.of(e));
        }
    }

    public Optional<PortalAccount> find(String loginId) {
        return loginId == null ? Optional.empty() : users.find(loginId);
    }

    public String companyName(long companyId) {
        return jdbc.sql("SELECT name FROM bizweb_company WHERE id = :id").param("id", companyId).query(String.class).single();
    }

    /** The company's users (id, login ID, name) for the master user's certificate page. */
    public java.util.List<Colleague> colleagues(long companyId) {
        return jdbc.sql("SELECT id, login_id, display_name, login_methods FROM bizweb_user WHERE company_id = :company ORDER BY login_id")
                .param("company", companyId)
                .query((row, number) -> new Colleague(row.getLong("id"), row.getString("login_id"), row.getString("display_name"),
                        CertificateLogin.LoginMethods.valueOf(row.getString("login_methods"))))
                .list();
    }

    /** A user of the company as the certificate page lists them. */
    public record Colleague(long id, String loginId, String displayName, CertificateLogin.LoginMethods loginMethods) {
    }

    /** Sets a user's ways in (inside the caller's transaction); false when the user is not of that company. */
    public boolean setLoginMethods(long companyId, long userId, CertificateLogin.LoginMethods methods) {
        return jdbc.sql("UPDATE bizweb_user SET login_methods = :methods WHERE id = :id AND company_id = :company")
                .param("methods", methods.name()).param("id", userId).param("company", companyId).update() == 1;
    }
}
