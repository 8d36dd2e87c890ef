package io.kagi.bizweb.web;

import jakarta.servlet.http.HttpServletRequest;

/** The client's address as recorded in audit events and login history (behind a proxy, Spring's forwarded-header handling sets it). */
final class ClientAddresses {

    private ClientAddresses() {
    }

    static String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
