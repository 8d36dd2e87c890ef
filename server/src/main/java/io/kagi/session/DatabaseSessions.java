package io.kagi.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.session.SessionRepository;

/**
 * The sessions' table, one row a session. Every statement stands alone (autocommit): a read is one
 * SELECT, a write one INSERT or UPDATE; the version makes an UPDATE conditional, and when another
 * request of the same session wrote in between, this request's changed attributes are laid over
 * that request's and written again. A session deleted meanwhile (logged out, expired, ended by its
 * owner or by a lock) stays deleted. Within a request ({@link SessionMemo}) a session is read from
 * the table once.
 *
 * <p>A session ends {@code maxIdle} after its last request or {@code maxLifetime} after it began,
 * whichever comes first. Each write of attributes also records who is logged in to it (its
 * {@linkplain SessionOwner owner}, from the security contexts it holds) and the address and browser
 * of that request, so that a person's sessions can be listed and ended ({@link UserSessions}).
 */
final class DatabaseSessions implements SessionRepository<StoredSession> {

    private static final Logger log = LoggerFactory.getLogger(DatabaseSessions.class);
    private static final int ID_BYTES = 32;
    /** Base64url without padding of {@link #ID_BYTES} bytes. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    /**
     * Each failed attempt means another request of the same session wrote in between (lock-free:
     * someone always progresses), so a writer needs at most as many attempts as there are requests
     * of one session in flight at once — bounded by the request threads of all nodes. Six parallel
     * submissions of one form needed six (a limit of five gave a 500); 32 leaves room for a
     * browser's parallel requests on several nodes.
     */
    private static final int MERGE_ATTEMPTS = 32;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration maxIdle;
    private final Duration maxLifetime;
    private final Duration touchInterval;
    private final SessionAttributes serializer;
    private final Supplier<String> ids;

    DatabaseSessions(JdbcClient jdbc, Clock clock, Duration maxIdle, Duration maxLifetime, SessionAttributes serializer) {
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("kagi.sessions.max-lifetime must be positive, not " + maxLifetime);
        }
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxIdle = maxIdle;
        this.maxLifetime = maxLifetime;
        this.touchInterval = touchInterval(maxIdle);
        this.serializer = serializer;
        SecureRandom random = new SecureRandom();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        this.ids = () -> {
            byte[] bytes = new byte[ID_BYTES];
            random.nextBytes(bytes);
            return base64.encodeToString(bytes);
        };
    }

    /**
     * How stale the stored access time may get before a request that changed nothing writes it:
     * a thirtieth of the idle timeout, at most 30 s (15 minutes idle: the session ends between
     * 14.5 and 15 minutes after the last request).
     */
    static Duration touchInterval(Duration maxIdle) {
        Duration thirtieth = maxIdle.dividedBy(30);
        return thirtieth.compareTo(Duration.ofSeconds(30)) < 0 ? thirtieth : Duration.ofSeconds(30);
    }

    @Override
    public StoredSession createSession() {
        return StoredSession.created(ids, clock.instant(), maxIdle);
    }

    @Override
    public StoredSession findById(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return null;
        }
        Optional<StoredSession> remembered = SessionMemo.recalled(id);
        if (remembered != null) {
            return remembered.orElse(null);
        }
        StoredSession session = load(id);
        if (session != null && (session.isExpiredAt(clock.instant()) || outlived(session, clock.instant()))) {
            jdbc.sql("DELETE FROM http_session WHERE session_id = ? AND version = ?")
                    .params(id, session.version()).update();
            session = null;
        }
        SessionMemo.remember(id, session);
        return session;
    }

    private StoredSession load(String id) {
        Optional<Row> row = jdbc.sql("""
                        SELECT created_at, last_access_at, max_idle_seconds, version, attributes
                        FROM http_session WHERE session_id = ?""")
                .param(id)
                .query((rs, n) -> new Row(rs.getLong("version"), Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("last_access_at")), Duration.ofSeconds(rs.getInt("max_idle_seconds")),
                        rs.getBytes("attributes")))
                .optional();
        if (row.isEmpty()) {
            return null;
        }
        Row stored = row.get();
        try {
            return StoredSession.loaded(ids, id, stored.version(), stored.createdAt(), stored.lastAccessAt(), stored.maxIdle(),
                    serializer.read(stored.attributes()));
        } catch (SessionAttributes.UnreadableSession e) {
            // After an upgrade that changed a stored class: the user logs in again instead of seeing an error.
            log.warn("Dropping a session this node cannot read: {}", e.getMessage());
            jdbc.sql("DELETE FROM http_session WHERE session_id = ?").param(id).update();
            return null;
        }
    }

    private record Row(long version, Instant createdAt, Instant lastAccessAt, Duration maxIdle, byte[] attributes) {
    }

    /** Whether the session began {@code maxLifetime} or longer ago, however active it has been. */
    private boolean outlived(StoredSession session, Instant now) {
        return !now.isBefore(session.getCreationTime().plus(maxLifetime));
    }

    @Override
    public void save(StoredSession session) {
        Instant now = clock.instant();
        if (session.isNew()) {
            insert(session, now);
        } else if (session.hasChanges()) {
            update(session, now);
        } else if (!now.isBefore(session.storedAccessAt().plus(touchInterval))) {
            touch(session, now);
        }
        SessionMemo.remember(session.getId(), session);
    }

    private void insert(StoredSession session, Instant now) {
        jdbc.sql("""
                        INSERT INTO http_session (session_id, created_at, last_access_at, max_idle_seconds, expires_at, version, attributes,
                            owner, client_address, user_agent)
                        VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)""")
                .params(session.getId(), session.getCreationTime().toEpochMilli(), now.toEpochMilli(), idleSeconds(session),
                        expiresAt(session, now), serializer.write(session.attributes()), owner(session.attributes()),
                        SessionMemo.clientAddress(), SessionMemo.userAgent())
                .update();
        session.stored(1, now);
    }

    private void update(StoredSession session, Instant now) {
        String storedId = session.storedId();
        for (int attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
            int updated = jdbc.sql("""
                            UPDATE http_session SET session_id = ?, last_access_at = ?, max_idle_seconds = ?, expires_at = ?,
                                version = version + 1, attributes = ?, owner = ?,
                                client_address = COALESCE(?, client_address), user_agent = COALESCE(?, user_agent)
                            WHERE session_id = ? AND version = ?""")
                    .params(session.getId(), now.toEpochMilli(), idleSeconds(session), expiresAt(session, now),
                            serializer.write(session.attributes()), owner(session.attributes()), SessionMemo.clientAddress(),
                            SessionMemo.userAgent(), storedId, session.version())
                    .update();
            if (updated == 1) {
                if (!storedId.equals(session.getId())) {
                    SessionMemo.remember(storedId, null);
                }
                session.stored(session.version() + 1, now);
                return;
            }
            StoredSession current = load(storedId);
            if (current == null) {
                log.debug("Session {} was removed by another request; its changes are dropped", session);
                SessionMemo.remember(storedId, null);
                return;
            }
            session.rebase(current.version(), current.attributes());
        }
        throw new IllegalStateException("A session kept changing under " + MERGE_ATTEMPTS + " attempts to save it");
    }

    private void touch(StoredSession session, Instant now) {
        jdbc.sql("UPDATE http_session SET last_access_at = ?, expires_at = ? WHERE session_id = ? AND last_access_at < ?")
                .params(now.toEpochMilli(), expiresAt(session, now), session.getId(), now.toEpochMilli())
                .update();
        session.stored(session.version(), now);
    }

    @Override
    public void deleteById(String id) {
        if (id != null) {
            jdbc.sql("DELETE FROM http_session WHERE session_id = ?").param(id).update();
            SessionMemo.remember(id, null);
        }
    }

    /**
     * Who is logged in to a session with these attributes: the first authenticated security context
     * by attribute name (the portal and the console keep theirs under names of their own), or null
     * while nobody is.
     */
    static String owner(Map<String, Object> attributes) {
        for (Map.Entry<String, Object> attribute : new TreeMap<>(attributes).entrySet()) {
            if (attribute.getValue() instanceof SecurityContext context) {
                Authentication authentication = context.getAuthentication();
                if (authentication != null && authentication.isAuthenticated()
                        && !(authentication instanceof AnonymousAuthenticationToken)) {
                    return new SessionOwner(attribute.getKey(), authentication.getName()).key();
                }
            }
        }
        return null;
    }

    /** The live sessions of one owner, oldest first. */
    List<OwnedSession> ownedBy(SessionOwner owner) {
        return jdbc.sql("""
                        SELECT session_id, created_at, last_access_at, client_address, user_agent FROM http_session
                        WHERE owner = ? AND expires_at > ? ORDER BY created_at, session_id""")
                .params(owner.key(), clock.millis())
                .query((rs, n) -> new OwnedSession(rs.getString("session_id"), Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("last_access_at")), rs.getString("client_address"),
                        rs.getString("user_agent")))
                .list();
    }

    /** A row of {@link #ownedBy}; its {@code toString()} leaves the ID out. */
    record OwnedSession(String id, Instant createdAt, Instant lastAccessAt, String clientAddress, String userAgent) {
        @Override
        public String toString() {
            return "OwnedSession[createdAt=" + createdAt + ", address=" + clientAddress + "]";
        }
    }

    /** Ends one session if this owner is logged in to it. */
    boolean deleteOwned(SessionOwner owner, String id) {
        int deleted = jdbc.sql("DELETE FROM http_session WHERE session_id = ? AND owner = ?").params(id, owner.key()).update();
        if (deleted == 1) {
            SessionMemo.remember(id, null);
        }
        return deleted == 1;
    }

    /** Ends every session this owner is logged in to. */
    int deleteAllOwned(SessionOwner owner) {
        return jdbc.sql("DELETE FROM http_session WHERE owner = ?").param(owner.key()).update();
    }

    /** Removes the sessions whose idle expiry or lifetime has passed (they are refused when asked for anyway). */
    @Scheduled(fixedDelayString = "${kagi.sessions.cleanup-interval:PT5M}", initialDelayString = "${kagi.sessions.cleanup-interval:PT5M}")
    int deleteExpired() {
        int deleted = jdbc.sql("DELETE FROM http_session WHERE expires_at <= ?").param(clock.millis()).update();
        if (deleted > 0) {
            log.debug("Deleted {} expired sessions", deleted);
        }
        return deleted;
    }

    private static int idleSeconds(StoredSession session) {
        return (int) session.getMaxInactiveInterval().toSeconds();
    }

    /** The earlier of the idle expiry and the end of the session's lifetime. */
    private long expiresAt(StoredSession session, Instant now) {
        long end = session.getCreationTime().plus(maxLifetime).toEpochMilli();
        Duration idle = session.getMaxInactiveInterval();
        return idle.isNegative() ? end : Math.min(end, now.plus(idle).toEpochMilli());
    }
}
