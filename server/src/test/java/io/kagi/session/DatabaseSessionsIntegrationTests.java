package io.kagi.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;

import static org.assertj.core.api.Assertions.assertThat;

@KagiIntegrationTest
@Import(DatabaseSessionsIntegrationTests.ClockConfig.class)
class DatabaseSessionsIntegrationTests {

    @TestConfiguration
    static class ClockConfig {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return MutableClock.startingNow();
        }
    }

    @Autowired
    DatabaseSessions sessions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    UserSessions userSessions;

    @Test
    void aSessionIsOneRowUnderAnIdOf256RandomBits() {
        StoredSession session = saved("greeting", "こんにちは");

        assertThat(session.getId()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(saved("greeting", "x").getId());
        assertThat(rows(session.getId())).isEqualTo(1);
        assertThat((String) sessions.findById(session.getId()).getAttribute("greeting")).isEqualTo("こんにちは");
    }

    @Test
    void aSessionEndsFifteenMinutesAfterItsLastRequestAndNotBefore() {
        String id = saved("user", "alice").getId();

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(14));
            StoredSession session = sessions.findById(id);
            assertThat(session).as("after 14 idle minutes").isNotNull();
            sessions.save(session); // a request that changed nothing still moves the expiry
        }
        clock.advance(Duration.ofMinutes(15));

        assertThat(sessions.findById(id)).isNull();
        assertThat(rows(id)).isZero();
    }

    @Test
    void aSessionEndsTwelveHoursAfterItBeganHoweverActive() {
        String id = saved("user", "ivan").getId();

        for (int minutes = 10; minutes < 12 * 60; minutes += 10) {
            clock.advance(Duration.ofMinutes(10));
            StoredSession session = sessions.findById(id);
            assertThat(session).as("after %d active minutes", minutes).isNotNull();
            session.setAttribute("step", minutes);
            sessions.save(session);
        }
        clock.advance(Duration.ofMinutes(10));

        assertThat(sessions.findById(id)).as("12 hours after it began").isNull();
        assertThat(rows(id)).isZero();
    }

    @Test
    void theCleanUpRemovesSessionsPastTheirLifetimeThoughRecentlyUsed() {
        String id = saved("user", "judy").getId();
        for (int i = 0; i < 51; i++) {
            clock.advance(Duration.ofMinutes(14));
            sessions.save(sessions.findById(id));
        }
        assertThat(lastAccess(id)).isEqualTo(clock.millis());
        clock.advance(Duration.ofMinutes(14)); // 12 h 8 min after it began, 14 min after its last request

        sessions.deleteExpired();

        assertThat(rows(id)).isZero();
    }

    @Test
    void theOwnerIsTheAuthenticatedSecurityContextAndTheRowSaysWhoAndFromWhere() throws Exception {
        StoredSession session = sessions.createSession();
        session.setAttribute("KAGI_CONSOLE_SECURITY_CONTEXT", new SecurityContextImpl(
                UsernamePasswordAuthenticationToken.authenticated("operator01", null, List.of())));
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setRemoteAddr("192.0.2.7");
        request.addHeader("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0" + "x".repeat(300));
        Filter save = (req, res, chain) -> sessions.save(session);

        new SessionMemo().doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new HttpServlet() { }, save));

        SessionOwner owner = new SessionOwner("KAGI_CONSOLE_SECURITY_CONTEXT", "operator01");
        assertThat(userSessions.of(owner, session.getId())).singleElement().satisfies(mine -> {
            assertThat(mine.clientAddress()).isEqualTo("192.0.2.7");
            assertThat(mine.browser()).isEqualTo("Edge / Windows");
            assertThat(mine.current()).isTrue();
            assertThat(mine.reference()).isEqualTo(UserSessions.reference(session.getId())).doesNotContain(session.getId());
        });
        assertThat(jdbc.sql("SELECT LENGTH(user_agent) FROM http_session WHERE session_id = ?").param(session.getId())
                .query(Integer.class).single()).isEqualTo(SessionMemo.AGENT_LENGTH);
        assertThat(userSessions.of(new SessionOwner("SPRING_SECURITY_CONTEXT", "operator01"), (String) null))
                .as("the portal's operator01 is someone else").isEmpty();
        assertThat(DatabaseSessions.owner(Map.of("SPRING_SECURITY_CONTEXT", new SecurityContextImpl(
                new AnonymousAuthenticationToken("key", "anonymousUser", List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS")))))))
                .as("anonymous is nobody").isNull();
    }

    @Test
    void requestsThatChangeNothingWriteTheAccessTimeAtMostEveryThirtySeconds() {
        String id = saved("user", "bob").getId();
        long written = lastAccess(id);

        clock.advance(Duration.ofSeconds(20));
        sessions.save(sessions.findById(id));
        assertThat(lastAccess(id)).isEqualTo(written);

        clock.advance(Duration.ofSeconds(20));
        sessions.save(sessions.findById(id));
        assertThat(lastAccess(id)).isEqualTo(clock.millis());
        assertThat(DatabaseSessions.touchInterval(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(30));
        assertThat(DatabaseSessions.touchInterval(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void twoRequestsOfOneSessionKeepEachOthersChanges() {
        String id = saved("shared", "before").getId();
        StoredSession first = sessions.findById(id);
        StoredSession second = sessions.findById(id);

        first.setAttribute("fromFirst", "1");
        first.removeAttribute("shared");
        sessions.save(first);
        second.setAttribute("fromSecond", "2");
        sessions.save(second);

        StoredSession merged = sessions.findById(id);
        assertThat(merged.getAttributeNames()).containsExactlyInAnyOrder("fromFirst", "fromSecond");
        assertThat(merged.version()).isEqualTo(3);
    }

    @Test
    void sixteenRequestsOfOneSessionSavingAtTheSameMomentAllKeepTheirChanges() throws Exception {
        String id = saved("shared", "before").getId();
        int writers = 16;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<?>> saves = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "writer" + i;
                StoredSession copy = sessions.findById(id);
                copy.setAttribute(name, name);
                saves.add(threads.submit(() -> {
                    start.await();
                    sessions.save(copy);
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> save : saves) {
                save.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        StoredSession merged = sessions.findById(id);
        assertThat(merged.getAttributeNames()).hasSize(writers + 1).contains("shared", "writer0", "writer15");
        assertThat(merged.version()).isEqualTo(writers + 1);
    }

    @Test
    void aSessionEndedByAnotherRequestIsNotBroughtBack() {
        String id = saved("user", "carol").getId();
        StoredSession stale = sessions.findById(id);

        sessions.deleteById(id); // the logout, in a parallel request
        stale.setAttribute("late", "write");
        sessions.save(stale);

        assertThat(sessions.findById(id)).isNull();
        assertThat(rows(id)).isZero();
    }

    @Test
    void aNewIdMovesTheSessionAndTheOldIdFindsNothing() {
        StoredSession session = saved("user", "dave");
        String old = session.getId();

        String renewed = session.changeSessionId();
        sessions.save(session);

        assertThat(renewed).isNotEqualTo(old);
        assertThat(sessions.findById(old)).isNull();
        assertThat((String) sessions.findById(renewed).getAttribute("user")).isEqualTo("dave");
    }

    @Test
    void withinOneRequestTheTableIsReadOnce() throws Exception {
        String id = saved("user", "erin").getId();
        AtomicReference<StoredSession> first = new AtomicReference<>();
        AtomicReference<StoredSession> second = new AtomicReference<>();
        Filter request = (req, res, chain) -> {
            first.set(sessions.findById(id));
            jdbc.sql("DELETE FROM http_session WHERE session_id = ?").param(id).update();
            second.set(sessions.findById(id));
        };

        new SessionMemo().doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                new MockFilterChain(new HttpServlet() { }, request));

        assertThat(second.get()).isNotNull().isSameAs(first.get());
        assertThat(sessions.findById(id)).as("the next request reads the table again").isNull();
    }

    @Test
    void malformedIdsAndUnreadableRowsAreNoSession() {
        assertThat(sessions.findById("' OR 1=1 --")).isNull();
        assertThat(sessions.findById(null)).isNull();
        String id = saved("user", "frank").getId();
        jdbc.sql("UPDATE http_session SET attributes = ? WHERE session_id = ?").params(new byte[] {1, 2, 3}, id).update();

        assertThat(sessions.findById(id)).isNull();
        assertThat(rows(id)).as("an unreadable row is removed").isZero();
    }

    @Test
    void theCleanUpRemovesOnlyExpiredSessions() {
        String old = saved("user", "gina").getId();
        clock.advance(Duration.ofMinutes(10));
        String recent = saved("user", "hank").getId();
        clock.advance(Duration.ofMinutes(6));

        sessions.deleteExpired();

        assertThat(rows(old)).isZero();
        assertThat(rows(recent)).isEqualTo(1);
    }

    private StoredSession saved(String name, String value) {
        StoredSession session = sessions.createSession();
        session.setAttribute(name, value);
        sessions.save(session);
        return session;
    }

    private long rows(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM http_session WHERE session_id = ?").param(id).query(Long.class).single();
    }

    private long lastAccess(String id) {
        return jdbc.sql("SELECT last_access_at FROM http_session WHERE session_id = ?").param(id).query(Long.class).single();
    }
}
