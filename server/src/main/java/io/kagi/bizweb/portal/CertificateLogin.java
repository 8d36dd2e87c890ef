package io.kagi.bizweb.portal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.certificates.ClientCertificates;
import io.kagi.certificates.PresentedCertificates;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.preauth.x509.SubjectX500PrincipalExtractor;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 電子証明書ログイン: BLGI001's form sent with {@code certificate=1} over a connection that presented a client
 * certificate. The certificate names the user (Spring Security's X.509 principal extractor reads the login ID
 * from its subject, and Kagi's records must agree by serial), so no login ID is typed; the login password is
 * still checked by the same password factor (locks, throttle), and the same OTP step and ELG016 flow follow.
 * A certificate from another CA, expired by the application's clock, revoked, or of a user who no longer
 * exists is refused with a page that says why ({@code /bizweb/certificate/refused}). The master user's
 * choice of ways in (ID and password, certificate, or both) is enforced for both forms ({@link #successHandler}).
 */
@Component
public class CertificateLogin {

    /** Set on a login request that came with an accepted certificate: its serial. */
    static final String SERIAL_ATTRIBUTE = CertificateLogin.class.getName() + ".serial";

    /** The ways in a master user allows a user. */
    public enum LoginMethods {
        PASSWORD, CERTIFICATE, BOTH;

        public boolean allowsPassword() {
            return this != CERTIFICATE;
        }

        public boolean allowsCertificate() {
            return this != PASSWORD;
        }
    }

    private final ClientCertificates certificates;
    private final PresentedCertificates presented;
    private final PortalUsers users;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final SubjectX500PrincipalExtractor extractor = new SubjectX500PrincipalExtractor();

    private final io.kagi.certificates.ClientCertificateTls.HttpsEndpoint https;

    CertificateLogin(ClientCertificates certificates, PresentedCertificates presented, PortalUsers users, JdbcClient jdbc,
                     AuditLog audit, io.kagi.certificates.ClientCertificateTls.HttpsEndpoint https) {
        this.https = https;
        this.certificates = certificates;
        this.presented = presented;
        this.users = users;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Why a certificate login is refused, as the refusal page says it. */
    public enum Refusal {
        NONE_PRESENTED, FOREIGN, EXPIRED, REVOKED, USER_DELETED, NOT_ALLOWED, CERTIFICATE_ONLY
    }

    /** The outcome of checking the certificate of a request. */
    public sealed interface Check permits Check.Accepted, Check.Refused {
        record Accepted(String serial, String loginId, java.time.Instant notAfter) implements Check {
        }

        record Refused(Refusal refusal, String serial) implements Check {
        }
    }

    public Check check(HttpServletRequest request) {
        Optional<X509Certificate> certificate = presented.of(request);
        if (certificate.isEmpty() || !certificates.enabled()) {
            return new Check.Refused(Refusal.NONE_PRESENTED, null);
        }
        ClientCertificates.Presented result = certificates.check(certificate.get());
        if (result instanceof ClientCertificates.Presented.Refused refused) {
            return new Check.Refused(switch (refused.refusal()) {
                case FOREIGN -> Refusal.FOREIGN;
                case EXPIRED -> Refusal.EXPIRED;
                case REVOKED -> Refusal.REVOKED;
            }, refused.serial());
        }
        ClientCertificates.Presented.Accepted accepted = (ClientCertificates.Presented.Accepted) result;
        String named = String.valueOf(extractor.extractPrincipal(certificate.get()));
        if (!named.equals(accepted.loginId())) {
            return new Check.Refused(Refusal.FOREIGN, accepted.serial());
        }
        Optional<PortalAccount> user = users.find(accepted.loginId()).filter(account -> account.id() == accepted.userId());
        if (user.isEmpty()) {
            return new Check.Refused(Refusal.USER_DELETED, accepted.serial());
        }
        if (!loginMethods(user.get()).allowsCertificate()) {
            return new Check.Refused(Refusal.NOT_ALLOWED, accepted.serial());
        }
        return new Check.Accepted(accepted.serial(), accepted.loginId(), accepted.notAfter());
    }

    /** What BLGI001's 電子証明書 panel shows. */
    public record Panel(boolean offered, boolean secure, String loginId, java.time.Instant notAfter, Refusal refusal,
                        String httpsLogin) {
    }

    public Panel panel(HttpServletRequest request) {
        if (!certificates.enabled()) {
            return new Panel(false, false, null, null, null, null);
        }
        String httpsLogin = https.origin().map(origin -> origin + "/bizweb/login?certificate").orElse(null);
        Check check = check(request);
        if (check instanceof Check.Accepted accepted) {
            return new Panel(true, request.isSecure(), accepted.loginId(), accepted.notAfter(), null, httpsLogin);
        }
        return new Panel(true, request.isSecure(), null, null, ((Check.Refused) check).refusal(), httpsLogin);
    }

    /** The user's ways in as read with the account at this sign-in, or from the table. */
    private LoginMethods loginMethods(PortalAccount user) {
        return user.atSignIn().map(PortalAccount.SignInFacts::loginMethods).orElseGet(() -> loginMethods(user.id()));
    }

    private LoginMethods loginMethods(long userId) {
        return jdbc.sql("SELECT login_methods FROM bizweb_user WHERE id = :id").param("id", userId).query(String.class)
                .optional().map(LoginMethods::valueOf).orElse(LoginMethods.BOTH);
    }

    /** The filter before the form login: a certificate login's login ID comes from the certificate, never the form. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!"POST".equals(request.getMethod()) || !"/bizweb/login".equals(
                        request.getRequestURI().substring(request.getContextPath().length()))
                        || request.getParameter("certificate") == null) {
                    chain.doFilter(request, response);
                    return;
                }
                Check check = check(request);
                if (check instanceof Check.Refused refused) {
                    audit.record(AuditEvent.of("CERTIFICATE_LOGIN_REFUSED", "anonymous")
                            .subject(refused.serial() == null ? null : "certificate:" + refused.serial())
                            .from(ClientAddresses.of(request)).detail("reason", refused.refusal().name()));
                    response.sendRedirect(request.getContextPath() + "/bizweb/certificate/refused?reason="
                            + refused.refusal().name());
                    return;
                }
                Check.Accepted accepted = (Check.Accepted) check;
                request.setAttribute(SERIAL_ATTRIBUTE, accepted.serial());
                Map<String, String[]> parameters = new java.util.HashMap<>(request.getParameterMap());
                parameters.put("loginId", new String[] {accepted.loginId()});
                chain.doFilter(new HttpServletRequestWrapper(request) {
                    @Override
                    public String getParameter(String name) {
                        String[] values = parameters.get(name);
                        return values == null || values.length == 0 ? null : values[0];
                    }

                    @Override
                    public Map<String, String[]> getParameterMap() {
                        return java.util.Collections.unmodifiableMap(parameters);
                    }

                    @Override
                    public String[] getParameterValues(String name) {
                        return parameters.get(name);
                    }
                }, response);
            }
        };
    }

    /**
     * Before {@code next}: a certificate login gets its audit row; a password login of a user whom the master
     * user allows only the certificate is undone and sent to the refusal page.
     */
    AuthenticationSuccessHandler successHandler(AuthenticationSuccessHandler next) {
        return (request, response, authentication) -> {
            PortalAccount user = (PortalAccount) authentication.getPrincipal();
            Object serial = request.getAttribute(SERIAL_ATTRIBUTE);
            if (serial == null && !loginMethods(user).allowsPassword()) {
                refuse(request, response, user, Refusal.CERTIFICATE_ONLY);
                return;
            }
            if (serial != null) {
                audit.record(AuditEvent.of("CERTIFICATE_LOGIN", user.loginId()).company(user.companyId())
                        .subject("user:" + user.loginId()).from(ClientAddresses.of(request))
                        .detail("serial", serial.toString()));
            }
            next.onAuthenticationSuccess(request, response, authentication);
        };
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, PortalAccount user, Refusal refusal)
            throws IOException {
        audit.record(AuditEvent.of("CERTIFICATE_LOGIN_REFUSED", user.loginId()).company(user.companyId())
                .subject("user:" + user.loginId()).from(ClientAddresses.of(request)).detail("reason", refusal.name()));
        SecurityContextHolder.clearContext();
        var session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        response.sendRedirect(request.getContextPath() + "/bizweb/certificate/refused?reason=" + refusal.name());
    }
}
