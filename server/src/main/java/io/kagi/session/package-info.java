/**
 * HTTP sessions, kept in the database so that any node can serve any request (the portal and the
 * console; the APIs are stateless).
 *
 * <p>One row a session ({@code http_session}): its attributes serialized together, an idle expiry
 * and an absolute lifetime decided by the application's {@link java.time.Clock}, and a version for
 * concurrent requests of one session, which merge their changed attributes instead of overwriting
 * each other's. A request reads its session once and writes it at most once, without a transaction
 * of its own; a request that changes nothing writes only to move the idle expiry, at most every 30
 * seconds. Session IDs are 32 bytes from {@link java.security.SecureRandom} (256 bits). Spring
 * Session's filter ({@code @EnableSpringHttpSession}) puts the sessions behind {@code HttpSession};
 * Spring Boot's session support names the cookie and gives the idle timeout
 * ({@code spring.session.timeout}); {@code kagi.sessions.max-lifetime} the lifetime (12 hours).
 *
 * <p>The module's API: {@link io.kagi.session.LazySessions} (the pieces of a security chain that
 * open no session for anonymous requests), {@link io.kagi.session.UserSessions} (a person's
 * sessions, by {@link io.kagi.session.SessionOwner}: listed, ended one by one or all at once).
 *
 * <p>Kept instead of Spring Session JDBC after measuring both (issue 18, bench/README.md): with
 * that store a full portal login cost 25 session-table reads and 12 row writes instead of 7 and 4,
 * a login took 39 % more CPU and the login rate at bcrypt cost 4 was about 27 % lower.
 */
@org.springframework.modulith.ApplicationModule(displayName = "HTTP sessions",
        allowedDependencies = {"audit"})
package io.kagi.session;
