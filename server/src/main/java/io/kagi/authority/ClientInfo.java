package io.kagi.authority;

/**
 * Who is asking, for the audit log and the rate limits.
 *
 * @param actor   who acts, e.g. {@code "user:taro01"}, {@code "service:12345678"}, {@code "device"}
 * @param address the client's IP address, or {@code null} when unknown
 */
public record ClientInfo(String actor, String address) {

    public ClientInfo {
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("A client names its actor");
        }
    }
}
