package io.kagi.bizweb.portal;

import jakarta.servlet.http.HttpServletRequest;

/** The client's address as recorded in audit events and login history (behind a proxy, Spring's forwarded-header handling sets it). */
public final class ClientAddresses {

    private ClientAddresses() {
    }

    public static String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
