package io.kagi.session;

import java.util.Objects;

/**
 * Who is logged in to a session: the session attribute under which their area keeps its security
 * context (the portal Spring Security's default, the console its own) and the name the
 * authentication gives (the login ID). Two areas may use the same login ID for different people.
 */
public record SessionOwner(String securityContextAttribute, String name) {

    public SessionOwner {
        Objects.requireNonNull(securityContextAttribute, "securityContextAttribute");
        Objects.requireNonNull(name, "name");
        if (securityContextAttribute.isBlank() || securityContextAttribute.indexOf(':') >= 0) {
            throw new IllegalArgumentException("A security context attribute name without ':' is expected");
        }
    }

    /** The value of the sessions' {@code owner} column. */
    String key() {
        return securityContextAttribute + ":" + name;
    }
}
