package io.kagi.session;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Remembers, for the length of one request, the sessions read, written or deleted, so that the
 * table is read once a request. Spring Session's filter saves a session when the response is
 * committed and again when the request ends, and after each save looks the requested session up
 * afresh: without this, three reads a request. Wraps Spring Session's filter; outside a request
 * (and on other threads) every call goes to the table.
 */
final class SessionMemo extends OncePerRequestFilter {

    private static final ThreadLocal<Map<String, Optional<StoredSession>>> SESSIONS = new ThreadLocal<>();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SESSIONS.set(new HashMap<>(4));
        try {
            chain.doFilter(request, response);
        } finally {
            SESSIONS.remove();
        }
    }

    /** The session this request already knows under {@code id} (empty: known to be gone), or null if unknown. */
    static Optional<StoredSession> recalled(String id) {
        Map<String, Optional<StoredSession>> sessions = SESSIONS.get();
        return sessions == null ? null : sessions.get(id);
    }

    static void remember(String id, StoredSession session) {
        Map<String, Optional<StoredSession>> sessions = SESSIONS.get();
        if (sessions != null) {
            sessions.put(id, Optional.ofNullable(session));
        }
    }
}
