package io.kagi.console.web;

import jakarta.servlet.http.HttpServletRequest;

/** The client's address as the audit log records it (the servlet container's view; forwarded headers are resolved by the server's configuration). */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
