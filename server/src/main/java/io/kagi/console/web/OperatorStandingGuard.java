package io.kagi.console.web;

import java.util.Optional;

import io.kagi.console.OperatorAccount;
import io.kagi.console.Operators;

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
 * Checks on every console page, after the security chain granted it, where the logged-in operator
 * stands now (one read of their row): an operator disabled since they logged in is logged out at
 * their next request; an operator with a temporary password (new, reset or the first supervisor's)
 * goes to CPWD001 once they have the OTP factor, and stays there until they chose their own.
 */
@Configuration(proxyBeanMethods = false)
class OperatorStandingGuard implements WebMvcConfigurer {

    private final Operators operators;

    OperatorStandingGuard(Operators operators) {
        this.operators = operators;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws Exception {
                Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
                if (authentication == null || !(authentication.getPrincipal() instanceof OperatorAccount operator)
                        || operator.isPhantom()) {
                    return true;
                }
                Optional<Operators.Standing> standing = operators.standing(operator.id());
                if (standing.isEmpty() || standing.get().disabled()) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    SecurityContextHolder.clearContext();
                    response.sendRedirect(request.getContextPath() + "/console/login");
                    return false;
                }
                String path = request.getRequestURI().substring(request.getContextPath().length());
                if (standing.get().passwordMustChange() && ConsoleFactors.hasOtpFactor(authentication)
                        && !path.equals("/console/password")) {
                    response.sendRedirect(request.getContextPath() + "/console/password");
                    return false;
                }
                return true;
            }
        }).addPathPatterns("/console/**").excludePathPatterns("/console/login", "/console/console.css", "/console/logout");
    }
}
