package io.kagi.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.SessionRepository;

/**
 * The sessions' table, one row a session. Every statement stands alone (autocommit): a read is one
 * SELECT, a write one INSERT or UPDATE; the version makes an UPDATE conditional, and when another
 * request of the same session wrote in between, this request's changed attributes are laid over
 * that request's and written again. A session deleted meanwhile (logged out, expired) stays deleted.
 * Within a request ({@link SessionMemo}) a session is read from the table once.
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
    private final Duration touchInterval;
    private final SessionAttributes serializer;
    private final Supplier<String> ids;

    DatabaseSessions(JdbcClient jdbc, Clock clock, Duration maxIdle, SessionAttributes serializer) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxIdle = maxIdle;
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
        if (session != null && session.isExpiredAt(clock.instant())) {
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
                        INSERT INTO http_session (session_id, created_at, last_access_at, max_idle_seconds, expires_at, version, attributes)
                        VALUES (?, ?, ?, ?, ?, 1, ?)""")
                .params(session.getId(), session.getCreationTime().toEpochMilli(), now.toEpochMilli(), idleSeconds(session),
                        expiresAt(session, now), serializer.write(session.attributes()))
                .update();
        session.stored(1, now);
    }

    private void update(StoredSession session, Instant now) {
        String storedId = session.storedId();
        for (int attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
            int updated = jdbc.sql("""
                            UPDATE http_session SET session_id = ?, last_access_at = ?, max_idle_seconds = ?, expires_at = ?,
                                version = version + 1, attributes = ?
                            WHERE session_id = ? AND version = ?""")
                    .params(session.getId(), now.toEpochMilli(), idleSeconds(session), expiresAt(session, now),
                            serializer.write(session.attributes()), storedId, session.version())
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

    /** Removes the sessions whose idle expiry has passed (they are refused when asked for anyway). */
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

    private static long expiresAt(StoredSession session, Instant now) {
        Duration idle = session.getMaxInactiveInterval();
        return idle.isNegative() ? Long.MAX_VALUE : now.plus(idle).toEpochMilli();
    }
}
