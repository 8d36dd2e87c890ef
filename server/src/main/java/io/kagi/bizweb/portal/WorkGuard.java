package io.kagi.bizweb.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Checks made on every portal page after the security chain has granted it:
 * <ul>
 * <li>a user who logged in with an initial password goes to BPWD001 until they have changed it;</li>
 * <li>the work that needs an OTP (振込先管理, 振込依頼, 承認, 利用者管理) is refused, with the reason and
 *     the way forward (BERR001), to a user whose token is not active <em>now</em> — revoked or locked
 *     since they logged in — and a user whose login was locked since is logged out.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class WorkGuard implements WebMvcConfigurer {

    /** Session attribute: set at login while the user still has to replace their initial password. */
    public static final String MUST_CHANGE_PASSWORD = "kagi.bizweb.mustChangePassword";

    private final PortalTokens tokens;
    private final Colleagues colleagues;

    WorkGuard(PortalTokens tokens, Colleagues colleagues) {
        this.tokens = tokens;
        this.colleagues = colleagues;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                HttpSession session = request.getSession(false);
                if (session != null && session.getAttribute(MUST_CHANGE_PASSWORD) != null && currentUser() != null) {
                    response.sendRedirect(request.getContextPath() + "/bizweb/password");
                    return false;
                }
                return true;
            }
        }).addPathPatterns("/bizweb/**").excludePathPatterns("/bizweb/password", "/bizweb/login", "/bizweb/first-use",
                "/bizweb/first-use/**", "/bizweb/js/**");

        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                PortalAccount user = currentUser();
                if (user == null) {
                    return true;
                }
                if (colleagues.current(user).loginLocked()) {
                    request.getSession().invalidate();
                    SecurityContextHolder.clearContext();
                    response.sendRedirect(request.getContextPath() + "/bizweb/login?locked");
                    return false;
                }
                if (tokens.situation(user) != PortalTokens.Situation.ACTIVE) {
                    response.sendRedirect(request.getContextPath() + "/bizweb/refused?function=" + functionOf(request));
                    return false;
                }
                return true;
            }
        }).addPathPatterns("/bizweb/payees", "/bizweb/payees/**", "/bizweb/transfers", "/bizweb/transfers/**",
                "/bizweb/approvals", "/bizweb/approvals/**", "/bizweb/users", "/bizweb/users/**");
    }

    /** The function a work path belongs to, as the refusal page names it. */
    static String functionOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String function : new String[] {"approvals", "payees", "transfers", "users"}) {
            if (path.startsWith("/bizweb/" + function)) {
                return function;
            }
        }
        return "other";
    }

    private static PortalAccount currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof PortalAccount user && !user.isPhantom()
                ? user : null;
    }
}
