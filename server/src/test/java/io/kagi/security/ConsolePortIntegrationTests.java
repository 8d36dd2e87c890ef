package io.kagi.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.kagi.platform.Origins;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The console on a port of its own (issue 19: a bank's internal network): the portal's port answers /console with 404. */
@KagiIntegrationTest
@TestPropertySource(properties = "kagi.console.port=0")
class ConsolePortIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Origins origins;

    @Test
    void theConsoleAnswersOnlyOnItsOwnPort() throws Exception {
        String console = origins.consoleOrigin().orElseThrow();
        String portal = "http://localhost:" + port;

        assertThat(get(console + "/console/login").statusCode()).isEqualTo(200);
        assertThat(get(portal + "/console/login").statusCode()).isEqualTo(404);
        assertThat(get(console + "/bizweb/login").statusCode()).isEqualTo(404);
        assertThat(get(portal + "/bizweb/login").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
