package io.kagi.bizweb;

import java.util.concurrent.atomic.AtomicInteger;

import io.kagi.authority.Tokens;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * What the portal's integration tests over HTTP share: the server's port, the database, the clock,
 * the token authority, {@link PortalTestData} and a login-ID prefix of their own for each test (other
 * tests share the database). Subclasses are {@code @KagiIntegrationTest} with
 * {@code @Import(PortalTestData.ClockConfig.class)}.
 */
abstract class PortalTestSupport {

    private static final AtomicInteger SERIAL = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    @Autowired
    Tokens tokens;

    PortalTestData data;
    /** This test's login-ID prefix, e.g. {@code c12x}. */
    String prefix;

    /** The letter this class's login IDs start with. */
    abstract String prefixLetter();

    @BeforeEach
    void setUpPortalTestData() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
        prefix = prefixLetter() + SERIAL.incrementAndGet() + "x";
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }
}
