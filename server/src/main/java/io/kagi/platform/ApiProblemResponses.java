package io.kagi.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 9457 problem details written straight to a servlet response, for the answers of the REST API
 * that no controller gives: the container's and Spring's error answers (400, 404, 405, 406, 413,
 * 415, 500, …), the authentication entry point (401), the access-denied handler (403), the body
 * limits (408, 413) and the database outage (503). The same shape as the controllers' problems:
 * {@code type} {@code urn:kagi:problem:<code>}, {@code title}, {@code status}, {@code detail}
 * where there is one, and {@code code}. Nothing about the cause (no exception, no class name) goes
 * out.
 */
public final class ApiProblemResponses {

    /** The media type of every problem answer. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private ApiProblemResponses() {
    }

    /** Whether a request (or, during an error dispatch, the request that failed) is one of the REST API's. */
    public static boolean isApi(HttpServletRequest request) {
        Object failed = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI);
        String uri = failed instanceof String original ? original : request.getRequestURI();
        String api = request.getContextPath() + "/api/";
        return uri != null && uri.startsWith(api);
    }

    /**
     * Writes a problem with the standard title and detail of the status (resetting whatever body
     * was buffered; headers already set, such as {@code Allow} or {@code WWW-Authenticate}, stay).
     */
    public static void write(HttpServletResponse response, int status) throws IOException {
        Standard standard = Standard.of(status);
        write(response, status, standard.code, standard.title, standard.detail);
    }

    /** Writes a problem; {@code detail} may be null. */
    public static void write(HttpServletResponse response, int status, String code, String title, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentType(PROBLEM_JSON);
        StringBuilder json = new StringBuilder(160)
                .append("{\"type\":\"urn:kagi:problem:").append(code)
                .append("\",\"title\":").append(quoted(title))
                .append(",\"status\":").append(status);
        if (detail != null) {
            json.append(",\"detail\":").append(quoted(detail));
        }
        json.append(",\"code\":\"").append(code).append("\"}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The code, title and detail the API gives each error status it may answer with. */
    private record Standard(String code, String title, String detail) {

        static Standard of(int status) {
            return switch (status) {
                case 400 -> new Standard("invalid-request", "The request is malformed", null);
                case 401 -> new Standard("unauthorized", "Authentication is required",
                        "Send HTTP Basic credentials: the サービスID and the service's API secret");
                case 403 -> new Standard("forbidden", "Forbidden", null);
                case 404 -> new Standard("not-found", "No such resource", null);
                case 405 -> new Standard("method-not-allowed", "The method is not allowed here",
                        "The Allow header lists the methods this resource takes");
                case 406 -> new Standard("not-acceptable", "Only JSON answers are available",
                        "Accept application/json (errors come as application/problem+json)");
                case 408 -> new Standard("request-timeout", "The request took too long to arrive", null);
                case 413 -> new Standard("content-too-large", "The request body is too large", null);
                case 414 -> new Standard("uri-too-long", "The request target is too long", null);
                case 415 -> new Standard("unsupported-media-type", "The body must be JSON",
                        "Send the body as application/json (UTF-8)");
                case 429 -> new Standard("too-many-requests", "Too many requests; try again later", null);
                case 503 -> new Standard("unavailable", "The service is unavailable for a moment; try again", null);
                default -> status >= 500
                        ? new Standard("internal-error", "The request could not be completed", null)
                        : new Standard("invalid-request", "The request cannot be processed", null);
            };
        }
    }
}
