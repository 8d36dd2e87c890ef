/**
 * HTTP sessions, kept in the database so that any node can serve any request (the portal and the
 * console; the APIs are stateless).
 *
 * <p>One row a session ({@code http_session}): its attributes serialized together, an idle expiry
 * decided by the application's {@link java.time.Clock}, and a version for concurrent requests of
 * one session, which merge their changed attributes instead of overwriting each other's. A request
 * reads its session once and writes it at most once, without a transaction of its own; a request
 * that changes nothing writes only to move the idle expiry, at most every 30 seconds. Session IDs
 * are 32 bytes from {@link java.security.SecureRandom} (256 bits). Spring Session's filter
 * ({@code @EnableSpringHttpSession}) puts the sessions behind {@code HttpSession}; Spring Boot's
 * session support names the cookie and gives the timeout ({@code spring.session.timeout}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "HTTP sessions",
        allowedDependencies = {})
package io.kagi.session;
