package io.kagi.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When the database cannot be reached (or breaks off mid-transaction, which then rolls back),
 * every request answers 503 with {@code Retry-After} instead of a server error: an RFC 9457
 * problem under {@code /api/}, a short bilingual page elsewhere. Outermost filter, so that it also
 * covers the session store and the authentication filters; no detail of the cause goes out.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseUnavailable {

    static final String RETRY_AFTER_SECONDS = "30";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailable.class);

    @Bean
    FilterRegistrationBean<Filter> databaseUnavailableFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Filter());
        // Inside RequestBodies' filter, which dispatches a request again once its body is in.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    static final class Filter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                chain.doFilter(request, response);
            } catch (ServletException | RuntimeException e) {
                if (!causedByTheDatabase(e) || response.isCommitted()) {
                    throw e;
                }
                LOG.warn("Database unavailable during {} {}: {}", request.getMethod(), request.getRequestURI(),
                        rootCause(e).getClass().getSimpleName());
                answer(request, response);
            }
        }

        private static void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.resetBuffer();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            response.setHeader("Cache-Control", "no-store");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            if (ApiProblemResponses.isApi(request)) {
                ApiProblemResponses.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            } else {
                response.setContentType("text/html");
                response.getWriter().write("""
                        <!DOCTYPE html>
                        <html lang="ja"><head><meta charset="UTF-8"><title>ただいまご利用いただけません</title>
                        <link rel="stylesheet" href="/css/kagi.css"></head>
                        <body><main><p class="screen-id">ERR503</p>
                        <h1>ただいまご利用いただけません</h1>
                        <p>しばらくしてからもう一度お試しください。</p>
                        <p lang="en">The service is unavailable for a moment. Please try again shortly.</p>
                        </main></body></html>
                        """);
            }
        }

        private static boolean causedByTheDatabase(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                        || cause instanceof CannotCreateTransactionException || cause instanceof TransactionSystemException) {
                    return true;
                }
                if (cause.getCause() == cause) {
                    break;
                }
            }
            return false;
        }

        private static Throwable rootCause(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root;
        }
    }
}
