package io.kagi.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;

import io.kagi.test.MutableClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The server as the README starts it ({@code application.yml} as it is: H2 file database in an
 * empty data folder, generated local key, demo bank and demo company, OTP policy and limits at their
 * defaults) with three changes a test needs: mail goes to the test's own SMTP server instead of the
 * local mailbox, the clock is a {@link MutableClock} the test moves, and the HTTP port is a free one
 * chosen before the context starts, so {@code kagi.bank.public-url} (the address in mails and the
 * start-up report) is the test server's real address. The Actuator port is a random one, as another
 * build on this machine may hold 8081.
 */
final class EmbeddedDefaults {

    private EmbeddedDefaults() {
    }

    static void register(DynamicPropertyRegistry registry, int port, int smtpPort) {
        Path dataDir = Path.of(".", "target", "walkthrough-data", UUID.randomUUID().toString());
        registry.add("server.port", () -> port);
        registry.add("kagi.bank.public-url", () -> "http://localhost:" + port);
        registry.add("kagi.data-dir", dataDir::toString);
        registry.add("management.server.port", () -> 0);
        // The token app's origin of its own: a free port rather than 8082 (another build may hold it).
        registry.add("kagi.app.port", () -> 0);
        registry.add("kagi.certificates.https-port", () -> 0);
        registry.add("kagi.mail.capture", () -> false);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> smtpPort);
        // §12: the portal's approvals are signed on the phone (KAGI_BIZWEB_TRANSACTION_SIGNING=transfers).
        registry.add("kagi.bizweb.transaction-signing", () -> "transfers");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application's clock: stands still at the start time until the walk moves it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ClockConfig {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return MutableClock.startingNow();
        }
    }
}
