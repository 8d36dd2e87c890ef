package io.kagi.console;

import io.kagi.authority.Tokens;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * What the console's change tests share: the running server's port, its database and clock, the
 * test data and {@link ConsoleChanges}, which walks each change to its confirm screen. Subclasses
 * are {@code @KagiIntegrationTest} with {@code @Import(ConsoleTestData.ClockConfig.class)}.
 */
abstract class ConsoleChangeTestSupport {

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

    ConsoleTestData data;
    ConsoleChanges changes;

    @BeforeEach
    void prepareConsole() {
        data = new ConsoleTestData(jdbc, passwordEncoder, clock);
        changes = new ConsoleChanges(jdbc, data, tokens, clock, url(""));
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }
}
