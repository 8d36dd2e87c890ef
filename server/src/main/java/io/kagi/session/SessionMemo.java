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
 * (and on other threads) every call goes to the table. It also keeps the request's client address
 * and browser ({@code User-Agent}, cut to {@value #AGENT_LENGTH} characters) for the session's row.
 */
final class SessionMemo extends OncePerRequestFilter {

    static final int AGENT_LENGTH = 200;

    private static final ThreadLocal<Map<String, Optional<StoredSession>>> SESSIONS = new ThreadLocal<>();
    private static final ThreadLocal<HttpServletRequest> REQUEST = new ThreadLocal<>();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SESSIONS.set(new HashMap<>(4));
        REQUEST.set(request);
        try {
            chain.doFilter(request, response);
        } finally {
            SESSIONS.remove();
            REQUEST.remove();
        }
    }

    /** The session this request already knows under {@code id} (empty: known to be gone), or null if unknown. */
    static Optional<StoredSession> recalled(String id) {
        Map<String, Optional<StoredSession>> sessions = SESSIONS.get();
        return sessions == null ? null : sessions.get(id);
    }

    /** The address of the client of this thread's request (after the trusted proxies), or null outside one. */
    static String clientAddress() {
        HttpServletRequest request = REQUEST.get();
        return request == null ? null : request.getRemoteAddr();
    }

    /** The {@code User-Agent} of this thread's request, at most {@value #AGENT_LENGTH} characters, or null. */
    static String userAgent() {
        HttpServletRequest request = REQUEST.get();
        String agent = request == null ? null : request.getHeader("User-Agent");
        return agent == null || agent.length() <= AGENT_LENGTH ? agent : agent.substring(0, AGENT_LENGTH);
    }

    static void remember(String id, StoredSession session) {
        Map<String, Optional<StoredSession>> sessions = SESSIONS.get();
        if (sessions != null) {
            sessions.put(id, Optional.ofNullable(session));
        }
    }
}
