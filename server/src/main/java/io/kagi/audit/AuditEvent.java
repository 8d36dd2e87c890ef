package io.kagi.audit;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One thing that happened, as the audit log keeps it.
 *
 * @param type what happened, a stable upper-case name such as {@code TOKEN_ISSUED} or {@code LOGIN_FAILED}
 * @param actor who did it: a login ID, {@code operator:<id>}, {@code service:<サービスID>} or {@code system}
 * @param companyId the customer company concerned, or {@code null}
 * @param subject what it was done to, e.g. {@code token:12345678/012345} or {@code user:taro01}, or {@code null}
 * @param clientAddress the client's IP address, or {@code null} for the system itself
 * @param details further facts; never a seed, code, password or account number in full
 */
public record AuditEvent(String type, String actor, Long companyId, String subject, String clientAddress,
                         Map<String, String> details) {

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{1,59}");

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("An audit event type is an upper-case name: " + type);
        }
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static AuditEvent of(String type, String actor) {
        return new AuditEvent(type, actor, null, null, null, Map.of());
    }

    public AuditEvent company(Long id) {
        return new AuditEvent(type, actor, id, subject, clientAddress, details);
    }

    public AuditEvent subject(String value) {
        return new AuditEvent(type, actor, companyId, value, clientAddress, details);
    }

    public AuditEvent from(String address) {
        return new AuditEvent(type, actor, companyId, subject, address, details);
    }

    public AuditEvent detail(String key, String value) {
        java.util.Map<String, String> more = new java.util.TreeMap<>(details);
        more.put(key, value);
        return new AuditEvent(type, actor, companyId, subject, clientAddress, more);
    }
}
