package io.kagi.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's sessions, for their own sessions page and for whoever locks their login: listed with
 * when, where and in which browser they began, ended one by one, or all at once. Runs in the
 * caller's transaction when there is one (a lock and the end of its sessions commit together).
 *
 * <p>A session is named on pages by a reference derived from its ID (the first 128 bits of its
 * SHA-256, base64url), so a page never shows the ID itself; the reference changes when the ID does
 * (at login).
 */
@Component
public class UserSessions {

    private final DatabaseSessions sessions;
    private final AuditLog audit;

    UserSessions(DatabaseSessions sessions, AuditLog audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    /** The owner's live sessions, oldest first; the session of {@code request} (if any) is marked current. */
    public List<UserSession> of(SessionOwner owner, HttpServletRequest request) {
        HttpSession current = request.getSession(false);
        return of(owner, current == null ? null : current.getId());
    }

    /** The owner's live sessions, oldest first; {@code currentSessionId} (may be null) marks the asking one. */
    List<UserSession> of(SessionOwner owner, String currentSessionId) {
        return sessions.ownedBy(owner).stream()
                .map(row -> new UserSession(reference(row.id()), row.createdAt(), row.lastAccessAt(), row.clientAddress(),
                        Browsers.describe(row.userAgent()), row.id().equals(currentSessionId)))
                .toList();
    }

    /**
     * Ends the owner's session named {@code reference} and records {@code ended} with it, in one
     * transaction; false (nothing recorded) when they have no session by that name (any more).
     */
    @Transactional
    public boolean end(SessionOwner owner, String reference, AuditEvent ended) {
        for (DatabaseSessions.OwnedSession row : sessions.ownedBy(owner)) {
            if (MessageDigest.isEqual(reference(row.id()).getBytes(StandardCharsets.US_ASCII),
                    reference.getBytes(StandardCharsets.US_ASCII)) && sessions.deleteOwned(owner, row.id())) {
                audit.record(ended);
                return true;
            }
        }
        return false;
    }

    /** Ends every session of the owner; returns how many there were. */
    public int endAll(SessionOwner owner) {
        return sessions.deleteAllOwned(owner);
    }

    /** The name of the session with this ID on pages. */
    public static String reference(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
