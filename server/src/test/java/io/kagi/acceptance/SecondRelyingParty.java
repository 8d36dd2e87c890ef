package io.kagi.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.kagi.authority.ServiceId;
import tools.jackson.databind.ObjectMapper;

/**
 * Another bank service that uses the same authority (§11): registered by the bank in the operator
 * console with its own サービスID and API secret, it issues and verifies its customers' tokens over the authority's REST API, as a
 * relying party on another server would.
 */
final class SecondRelyingParty {

    static final ServiceId SERVICE = new ServiceId("23456789");
    static final String NAME = "かぎ証券オンライン";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseAddress;
    private final String authorization;

    /** A response as the relying party sees it. */
    record Answer(String request, int status, String body) {
    }

    private SecondRelyingParty(String baseAddress, String apiSecret) {
        this.baseAddress = baseAddress;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((SERVICE.digits() + ":" + apiSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** The service with the API secret the bank handed it (registered and issued in the operator console). */
    static SecondRelyingParty withSecret(String baseAddress, String apiSecret) {
        return new SecondRelyingParty(baseAddress, apiSecret);
    }

    Answer issue(String account, String mailAddress, String activationPassword) {
        return post("/accounts/" + account + "/token",
                Map.of("mailAddress", mailAddress, "activationPassword", activationPassword, "locale", "ja"));
    }

    Answer verify(String account, String code) {
        return post("/accounts/" + account + "/token/verify", Map.of("code", code));
    }

    private Answer post(String path, Map<String, String> body) {
        String address = baseAddress + "/api/v1/services/" + SERVICE.digits() + path;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(address))
                            .header("Authorization", authorization)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String shown = body.containsKey("activationPassword") ? body.keySet().toString() : JSON.writeValueAsString(body);
            return new Answer("POST " + address + " " + shown, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
