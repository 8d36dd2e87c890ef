package io.kagi.platform;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 404, before anything else runs, to a request on the wrong origin ({@link Origins}): on the
 * token app's origin only the app and the activation API it calls exist; on the portal's origin the
 * app does not (a GET there, an old bookmark, is sent to the app's origin), nor the console when it
 * has a port of its own; on the console's own port only the console does.
 */
final class OriginSeparation extends OncePerRequestFilter {

    private final Origins origins;

    OriginSeparation(Origins origins) {
        this.origins = origins;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Origins.Area area = origins.areaOf(request);
        if (allowed(area, path)) {
            chain.doFilter(request, response);
            return;
        }
        // Answered here, before any other filter: with the headers every page of Kagi sends.
        response.setHeader("Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
        }
        if (area == Origins.Area.PORTAL && isApp(path) && "GET".equals(request.getMethod())) {
            // An old bookmark or link: the app is elsewhere now (nothing of it runs on this origin).
            String query = request.getQueryString();
            response.sendRedirect(origins.appOrigin() + path + (query == null ? "" : "?" + query));
            return;
        }
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("Not Found\n");
    }

    private static boolean isApp(String path) {
        return path.equals("/app") || path.startsWith("/app/");
    }

    private boolean allowed(Origins.Area area, String path) {
        boolean app = isApp(path);
        boolean console = path.equals("/console") || path.startsWith("/console/");
        return switch (area) {
            case APP -> app || path.startsWith("/api/v1/activation/");
            case CONSOLE -> console;
            case PORTAL -> !(app && origins.appSeparated()) && !(console && origins.consoleSeparated());
        };
    }
}
