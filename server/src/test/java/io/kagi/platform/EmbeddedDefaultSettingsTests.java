package io.kagi.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.UUID;

import io.kagi.KagiApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded default (no profile) started with the README's {@code KAGI_*} settings: they are
 * read in every profile, not only in production. The variables are given as command-line
 * properties, which fill the same {@code ${KAGI_…}} placeholders as the environment does.
 */
class EmbeddedDefaultSettingsTests {

    private static final int PORT = freePort();
    private static final int MANAGEMENT_PORT = freePort();
    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(KagiApplication.class).run(
                "--KAGI_PORT=" + PORT,
                "--KAGI_MANAGEMENT_PORT=" + MANAGEMENT_PORT,
                "--KAGI_PUBLIC_URL=https://otp.example.jp/",
                "--KAGI_BANK_NAME=みらい銀行",
                "--KAGI_TIME_ZONE=Asia/Seoul",
                "--KAGI_DATA_DIR=" + Path.of(".", "target", "embedded-settings", UUID.randomUUID().toString()),
                "--kagi.demo.enabled=false",
                "--kagi.passwords.bcrypt-strength=4");
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void servesOnKagiPortAndTheActuatorOnKagiManagementPort() {
        assertThat(RawHttp.exchange("127.0.0.1", "127.0.0.1", PORT, "GET /bizweb/login HTTP/1.0\r\nHost: localhost", "")
                .body()).contains("みらい銀行");
        assertThat(RawHttp.exchange("127.0.0.1", "127.0.0.1", MANAGEMENT_PORT, "GET /actuator/health HTTP/1.0\r\nHost: localhost", "")
                .status()).isEqualTo(200);
    }

    @Test
    void listensOnLoopbackOnlyByDefault() {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", PORT), 5_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void takesThePublicUrlAndTheTimeZoneFromTheSettings() {
        assertThat(context.getBean(BankProperties.class).publicUrl()).isEqualTo("https://otp.example.jp");
        assertThat(context.getBean(BankTime.class).zone().getId()).isEqualTo("Asia/Seoul");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
