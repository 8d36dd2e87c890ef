package io.kagi.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.session.Session;

/**
 * A session as loaded or created on this request, with what changed since: attribute names set or
 * removed, a new ID. Its {@code toString()} names no attribute values (they include the security
 * context and CSRF token) and only the start of the ID.
 */
final class StoredSession implements Session {

    private final Supplier<String> ids;
    private final Instant createdAt;
    private final Map<String, Object> attributes;
    private final Set<String> changedAttributes = new HashSet<>();
    private String id;
    /** The ID of the stored row, or null while the session is new. */
    private String storedId;
    private long version;
    private Instant lastAccessedAt;
    /** The last access time as the row holds it (the idle expiry counts from there). */
    private Instant storedAccessAt;
    private Duration maxIdle;
    private boolean maxIdleChanged;

    private StoredSession(Supplier<String> ids, String id, String storedId, long version, Instant createdAt,
            Instant lastAccessedAt, Duration maxIdle, Map<String, Object> attributes) {
        this.ids = ids;
        this.id = id;
        this.storedId = storedId;
        this.version = version;
        this.createdAt = createdAt;
        this.lastAccessedAt = lastAccessedAt;
        this.storedAccessAt = lastAccessedAt;
        this.maxIdle = maxIdle;
        this.attributes = attributes;
    }

    static StoredSession created(Supplier<String> ids, Instant now, Duration maxIdle) {
        return new StoredSession(ids, ids.get(), null, 0, now, now, maxIdle, new HashMap<>());
    }

    static StoredSession loaded(Supplier<String> ids, String id, long version, Instant createdAt, Instant lastAccessedAt,
            Duration maxIdle, Map<String, Object> attributes) {
        return new StoredSession(ids, id, id, version, createdAt, lastAccessedAt, maxIdle, attributes);
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String changeSessionId() {
        id = ids.get();
        return id;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getAttribute(String name) {
        return (T) attributes.get(name);
    }

    @Override
    public Set<String> getAttributeNames() {
        return Set.copyOf(attributes.keySet());
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            removeAttribute(name);
            return;
        }
        attributes.put(name, value);
        changedAttributes.add(name);
    }

    @Override
    public void removeAttribute(String name) {
        if (attributes.remove(name) != null) {
            changedAttributes.add(name);
        }
    }

    @Override
    public Instant getCreationTime() {
        return createdAt;
    }

    /** Spring Session's filter calls this on every request; what is stored is decided on save. */
    @Override
    public void setLastAccessedTime(Instant lastAccessedTime) {
        this.lastAccessedAt = lastAccessedTime;
    }

    @Override
    public Instant getLastAccessedTime() {
        return lastAccessedAt;
    }

    @Override
    public void setMaxInactiveInterval(Duration interval) {
        if (!interval.equals(maxIdle)) {
            maxIdle = interval;
            maxIdleChanged = true;
        }
    }

    @Override
    public Duration getMaxInactiveInterval() {
        return maxIdle;
    }

    /** Whether the stored idle expiry has passed at {@code now} (a negative interval never expires). */
    boolean isExpiredAt(Instant now) {
        return !maxIdle.isNegative() && !now.isBefore(storedAccessAt.plus(maxIdle));
    }

    @Override
    public boolean isExpired() {
        return !maxIdle.isNegative() && !lastAccessedAt.isBefore(storedAccessAt.plus(maxIdle));
    }

    boolean isNew() {
        return storedId == null;
    }

    /** Anything to write beyond the access time: attributes, the ID or the idle interval. */
    boolean hasChanges() {
        return !changedAttributes.isEmpty() || !id.equals(storedId) || maxIdleChanged;
    }

    String storedId() {
        return storedId;
    }

    long version() {
        return version;
    }

    Instant storedAccessAt() {
        return storedAccessAt;
    }

    Map<String, Object> attributes() {
        return attributes;
    }

    /** Takes another request's newer attributes, keeping this request's own changes on top. */
    void rebase(long storedVersion, Map<String, Object> storedAttributes) {
        Map<String, Object> mine = new HashMap<>();
        for (String name : changedAttributes) {
            mine.put(name, attributes.get(name));
        }
        attributes.clear();
        attributes.putAll(storedAttributes);
        mine.forEach((name, value) -> {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        });
        version = storedVersion;
    }

    /** The row now holds this session as it is. */
    void stored(long storedVersion, Instant accessAt) {
        storedId = id;
        version = storedVersion;
        storedAccessAt = accessAt;
        lastAccessedAt = accessAt;
        changedAttributes.clear();
        maxIdleChanged = false;
    }

    @Override
    public String toString() {
        return "StoredSession[id=" + id.substring(0, Math.min(6, id.length())) + "…, attributes=" + attributes.keySet()
                + ", version=" + version + "]";
    }
}
