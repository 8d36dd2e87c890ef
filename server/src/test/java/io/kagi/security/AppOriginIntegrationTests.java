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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token app on an origin of its own (issue 17): its keys live in the browser storage of its
 * origin, so a script on a portal page once used them. Now the portal's origin serves no app, and
 * the app's origin serves nothing but the app and the activation API it calls.
 */
@KagiIntegrationTest
class AppOriginIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    Origins origins;

    @Test
    void thePortalsOriginServesNoTokenAppButSendsOldLinksToTheAppsOrigin() throws Exception {
        String portal = "http://localhost:" + port;
        for (String path : new String[] {"/app/", "/app/app.js", "/app/sw.js"}) {
            HttpResponse<String> answer = get(portal + path);
            assertThat(answer.statusCode()).as(path).isEqualTo(302);
            assertThat(answer.headers().firstValue("Location")).as(path).hasValue(origins.appOrigin() + path);
            assertThat(answer.body()).as(path).doesNotContain("<script", "function");
        }
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(portal + "/app/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(404);
        assertThat(get(portal + "/bizweb/login").statusCode()).isEqualTo(200);
    }

    @Test
    void theAppsOriginServesTheAppAndTheActivationApiOnly() throws Exception {
        String app = origins.appOrigin();
        assertThat(app).isNotEqualTo("http://localhost:" + port);
        assertThat(origins.appUrl()).isEqualTo(app + "/app/");
        HttpResponse<String> page = get(app + "/app/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script");
        assertThat(get(app + "/app/app.js").statusCode()).isEqualTo(200);
        for (String elsewhere : new String[] {"/bizweb/login", "/console/login", "/mailbox", "/api/openapi",
                "/api/v1/services/12345678"}) {
            assertThat(get(app + elsewhere).statusCode()).as(elsewhere).isEqualTo(404);
        }
        HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(URI.create(app + "/api/v1/activation/start"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).as("the app's own activation calls").isBetween(400, 499).isNotEqualTo(404);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
