package io.kagi.bizweb.portal;

import io.kagi.session.SessionOwner;

import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/** Whose portal sessions: the portal keeps its security context under Spring Security's default attribute. */
public final class PortalSessions {

    private PortalSessions() {
    }

    /** The sessions a portal user is logged in to (their login ID names them). */
    public static SessionOwner owner(String loginId) {
        return new SessionOwner(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, loginId);
    }
}
