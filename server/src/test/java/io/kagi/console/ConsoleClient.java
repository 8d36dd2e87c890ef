package io.kagi.console;

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

/**
 * One browser-like HTTP session with the console (its own cookies, no redirects followed), for
 * HTTP-level tests. Thread-safe: several threads may send requests of the one session at once.
 */
public final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    /** What a browser asks for (so that error answers are the pages a browser would show). */
    private static final String ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"transactionToken\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();

    public ConsoleClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The password only: the session then lacks the OTP factor. */
    public HttpResponse<String> logIn(String loginId, String password) {
        return post("/console/login", Map.of("loginId", loginId, "password", password,
                "_csrf", csrfOf(get("/console/login").body())));
    }

    /** Password and the OTP of the next time step (the clock moves a step first); returns the code used. */
    public String logInWithOtp(String loginId, String password, TestTokenDevice device, MutableClock clock) {
        assertThat(location(logIn(loginId, password))).endsWith("/console/otp");
        String page = get("/console/otp").body();
        String code = device.codeAt(clock.advance(Duration.ofSeconds(60)));
        assertThat(location(post("/console/otp", Map.of("otp", code, "transactionToken", formTokenOf(page),
                "_csrf", csrfOf(page))))).endsWith("/console");
        return code;
    }

    /** Posts {@code fields} with the CSRF token of {@code page}. */
    public HttpResponse<String> submit(String path, String page, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("_csrf", csrfOf(page));
        return post(path, form);
    }

    /** A page that must render (200). */
    public String page(String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", ACCEPT).GET().build());
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a redirect, body: %s", response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    public static String csrfOf(String page) {
        return match(CSRF, page);
    }

    public static String formTokenOf(String page) {
        return match(FORM_TOKEN, page);
    }

    private static String match(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as("%s in the page %s", pattern, page).isTrue();
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
