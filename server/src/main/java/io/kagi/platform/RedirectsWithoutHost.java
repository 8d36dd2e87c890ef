package io.kagi.platform;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Redirects within Kagi never carry the host a request claimed in its {@code Host} header (a
 * forged one would otherwise come back in {@code Location}): they name a path only, which Tomcat
 * keeps relative ({@code server.tomcat.use-relative-redirects}), and this filter makes relative
 * also the absolute ones that code builds from the request itself, such as Spring Security's
 * redirect to a login page. HTTP/1.0 requires an absolute {@code Location}, which Tomcat would
 * build from the request's host again: there the redirect goes to the configured public address
 * ({@code kagi.bank.public-url}). Redirects to another host pass unchanged.
 */
@Configuration(proxyBeanMethods = false)
class RedirectsWithoutHost {

    @Bean
    FilterRegistrationBean<Filter> redirectsWithoutHostFilter(BankProperties bank) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Filter(bank.publicUrl()));
        registration.setName("redirectsWithoutHost");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    static final class Filter extends OncePerRequestFilter {

        private final String publicUrl;

        Filter(String publicUrl) {
            this.publicUrl = publicUrl;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String serverName = request.getServerName();
            boolean absoluteRequired = "HTTP/1.0".equals(request.getProtocol());
            // Every variant: a wrapper further in may call any of them (Servlet 6.1).
            chain.doFilter(request, new HttpServletResponseWrapper(response) {
                @Override
                public void sendRedirect(String location) throws IOException {
                    super.sendRedirect(target(location));
                }

                @Override
                public void sendRedirect(String location, int status) throws IOException {
                    super.sendRedirect(target(location), status);
                }

                @Override
                public void sendRedirect(String location, boolean clearBuffer) throws IOException {
                    super.sendRedirect(target(location), clearBuffer);
                }

                @Override
                public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
                    super.sendRedirect(target(location), status, clearBuffer);
                }

                private String target(String location) {
                    String relative = relative(location, serverName);
                    return absoluteRequired && relative.startsWith("/") && !relative.startsWith("//")
                            ? publicUrl + relative : relative;
                }
            });
        }
    }

    /** {@code location} without scheme and authority when it points at {@code serverName}; else unchanged. */
    static String relative(String location, String serverName) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return location;
        }
        if (!uri.isAbsolute() || uri.getHost() == null || !uri.getHost().equalsIgnoreCase(serverName)
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            return location;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }
}
