package io.kagi.platform;

import java.io.IOException;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every error answer of the REST API is an RFC 9457 problem: when the container or Spring sends an
 * error status for a request under {@code /api/} ({@code sendError}: 404 no such path, 405, 406,
 * 415 from Spring MVC, 400 from the request firewall, 500 from an exception no handler took), the
 * error dispatch is answered here with {@code application/problem+json} instead of the portal's
 * error page or Spring's JSON. Headers set before the error ({@code Allow},
 * {@code WWW-Authenticate}, {@code Retry-After}) stay.
 */
@Configuration(proxyBeanMethods = false)
class ApiErrorAnswers {

    private static final int SPRING_SECURITY_ORDER = -100;

    @Bean
    FilterRegistrationBean<ErrorFilter> apiErrorAnswersFilter() {
        FilterRegistrationBean<ErrorFilter> registration = new FilterRegistrationBean<>(new ErrorFilter());
        // Just inside Spring Security's filter (order -100), whose default chain lets /error through and
        // adds the security headers to the answer.
        registration.setOrder(SPRING_SECURITY_ORDER + 1);
        registration.setDispatcherTypes(EnumSet.of(DispatcherType.ERROR));
        return registration;
    }

    static final class ErrorFilter implements Filter {

        @Override
        public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) servletRequest;
            if (request.getDispatcherType() != DispatcherType.ERROR || !ApiProblemResponses.isApi(request)) {
                chain.doFilter(servletRequest, servletResponse);
                return;
            }
            Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int code = status instanceof Integer value && value >= 400 ? value : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            ApiProblemResponses.write((HttpServletResponse) servletResponse, code);
        }
    }
}
