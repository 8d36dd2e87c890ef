package io.kagi.bizweb;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;

import static org.assertj.core.api.Assertions.assertThat;

/** One browser-like HTTP session with the portal (its own cookies, no redirects followed), for HTTP-level tests. */
public final class PortalClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern TRANSACTION = Pattern.compile("name=\"transactionToken\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public PortalClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Logs in with the password only (the session lacks the OTP factor). */
    HttpResponse<String> logIn(String loginId, String password) {
        return post("/bizweb/login", Map.of("_csrf", csrf(), "loginId", loginId, "password", password));
    }

    /** Logs in with the password and then the OTP of the clock's current step (advancing the clock a step first). */
    public PortalClient logInWithOtp(String loginId, String password, TestTokenDevice device, MutableClock clock) {
        assertThat(location(logIn(loginId, password))).endsWith("/bizweb/otp");
        String page = get("/bizweb/otp").body();
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> verified = post("/bizweb/otp", Map.of("_csrf", first(CSRF, page),
                "transactionToken", first(TRANSACTION, page), "otp", device.codeAt(clock.instant())));
        assertThat(location(verified)).endsWith("/bizweb/top");
        return this;
    }

    String csrf() {
        return first(CSRF, get("/bizweb/login").body());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).build());
    }

    HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Posts {@code fields} with this session's CSRF token (and nothing else added). */
    HttpResponse<String> submit(String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("_csrf", csrf());
        return post(path, form);
    }

    /** Posts {@code fields} to a confirm step and returns the confirm page (200), asserting it rendered. */
    String confirmPage(String path, Map<String, String> fields) {
        HttpResponse<String> response = submit(path, fields);
        assertThat(response.statusCode()).as("confirm page of " + path).isEqualTo(200);
        return response.body();
    }

    static String transactionToken(String page) {
        return first(TRANSACTION, page);
    }

    static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a redirect, body: " + response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("pattern " + pattern + " on the page").isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
