package io.kagi.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.session.InvalidSessionStrategy;

/**
 * No session until one is needed (a login, a first-use step, a flash message): the pieces of a
 * security chain that would otherwise open a session row for every anonymous request. An
 * anonymous visitor's login form takes its CSRF token from a cookie ({@link #csrfTokens}); a
 * visitor sent to the login page from a protected page is not remembered in a new session
 * ({@link #requestCache}); a request with a session cookie that names no session any more is
 * redirected, and told to drop it, without a new session being stored ({@link #invalidSessionRedirect}).
 */
public final class LazySessions {

    /** The CSRF cookie's name; it is {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over HTTPS, limited to its area's path. */
    public static final String CSRF_COOKIE = "KAGICSRF";

    private LazySessions() {
    }

    /**
     * CSRF tokens kept in the session when the request has one, and in a cookie under
     * {@code path} while it has none. A session's own token is never replaced by a cookie's: once a
     * session exists, its token (made afresh when it has none) is the one forms must carry.
     */
    public static CsrfTokenRepository csrfTokens(String path) {
        return new SessionOrCookie(path);
    }

    /** A request cache that remembers the requested page only in a session that exists already. */
    public static HttpSessionRequestCache requestCache() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setCreateSessionAllowed(false);
        return cache;
    }

    /**
     * Like {@code invalidSessionUrl(url)}, without storing a new session for the redirect; the
     * browser is told to drop its stale cookie, so the page redirected to does not find it again.
     */
    public static InvalidSessionStrategy invalidSessionRedirect(String url) {
        return (HttpServletRequest request, HttpServletResponse response) -> {
            // Spring Session expires the cookie only for a session invalidated in this request: a new
            // one, invalidated before it is ever stored, does that without writing a row.
            request.getSession(true).invalidate();
            response.sendRedirect(request.getContextPath() + url);
        };
    }

    private static final class SessionOrCookie implements CsrfTokenRepository {

        private final HttpSessionCsrfTokenRepository sessions = new HttpSessionCsrfTokenRepository();
        private final CookieCsrfTokenRepository cookies = new CookieCsrfTokenRepository();

        SessionOrCookie(String path) {
            cookies.setCookieName(CSRF_COOKIE);
            cookies.setCookiePath(path);
            cookies.setCookieCustomizer(cookie -> cookie.httpOnly(true).sameSite("Strict"));
        }

        @Override
        public CsrfToken generateToken(HttpServletRequest request) {
            return sessions.generateToken(request);
        }

        @Override
        public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                sessions.saveToken(token, request, response);
            } else {
                cookies.saveToken(token, request, response);
            }
        }

        @Override
        public CsrfToken loadToken(HttpServletRequest request) {
            return request.getSession(false) != null ? sessions.loadToken(request) : cookies.loadToken(request);
        }
    }
}
