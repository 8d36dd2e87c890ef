package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.authority.ServiceId;
import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 17's slow clients: sockets that send a POST's headers and then trickle its body a byte a
 * second hold no request thread. With 50 of them open (more than six times the node's request
 * threads), verifications over the API and a portal login still answer within seconds; a body
 * declared larger than the limit is refused at once (413), and one that does not arrive within the
 * deadline is cut off (408 or a closed connection). Loopback only; every loop is bounded.
 */
@KagiIntegrationTest
@TestPropertySource(properties = {"kagi.http.body-deadline=4s", "server.tomcat.threads.max=8"})
class SlowClientsIntegrationTests {

    private static final int SLOW_CLIENTS = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(4);
    private static final Duration LONGEST_SOCKET = Duration.ofSeconds(30);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestConfiguration
    static class ClockConfig {

        @Bean
        @Primary
        MutableClock mutableClock() {
            return MutableClock.startingNow();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Services services;

    @Autowired
    MutableClock clock;

    @Test
    void slowClientsHoldNoRequestThreadAndAreCutOffAfterTheDeadline() throws Exception {
        Verifier verifier = new Verifier();
        Figures before = verifier.runFor(Duration.ofSeconds(2));

        ExecutorService slow = Executors.newFixedThreadPool(SLOW_CLIENTS);
        List<Future<SlowOutcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                boolean api = i % 2 == 0;
                long declared = i % 4 < 2 ? 100_000 : 8_000;
                outcomes.add(slow.submit(() -> trickle(api ? "/api/v1/activation/start" : "/bizweb/login",
                        api ? "application/json" : "application/x-www-form-urlencoded", declared)));
            }
            Thread.sleep(1500);
            Figures during = verifier.runFor(Duration.ofSeconds(3));
            int portalStatus = portalLoginWithWrongPassword();

            System.out.printf("slow clients: %d; verifications before: %.0f/s p99 %d ms; during: %.0f/s p99 %d ms "
                            + "(max %d ms, %d failed)%n", SLOW_CLIENTS, before.rate(), before.p99Millis(), during.rate(),
                    during.p99Millis(), during.maxMillis(), during.failures());

            assertThat(during.failures()).as("verifications while slow clients hang").isZero();
            assertThat(during.count()).isPositive();
            assertThat(during.p99Millis()).as("p99 of verifications while slow clients hang").isLessThan(3000);
            assertThat(portalStatus).as("a portal login (its form, CSRF token and all) while slow clients hang")
                    .isEqualTo(302);

            List<SlowOutcome> ended = new ArrayList<>();
            for (Future<SlowOutcome> future : outcomes) {
                ended.add(future.get(LONGEST_SOCKET.toSeconds() + 5, TimeUnit.SECONDS));
            }
            ended.stream().collect(java.util.stream.Collectors.groupingBy(outcome -> outcome.declared() + " bytes declared: "
                            + outcome.answer(), java.util.TreeMap::new,
                            java.util.stream.Collectors.summarizingLong(outcome -> outcome.after().toMillis())))
                    .forEach((what, times) -> System.out.printf("slow clients, %s: %d, cut off after %d–%d ms%n", what,
                            times.getCount(), times.getMin(), times.getMax()));
            for (SlowOutcome outcome : ended) {
                if (outcome.declared() > 64 * 1024) {
                    assertThat(outcome.answer()).as("declared %d to %s", outcome.declared(), outcome.path())
                            .startsWith("HTTP/1.1 413");
                    assertThat(outcome.after()).isLessThan(Duration.ofSeconds(3));
                } else {
                    assertThat(outcome.answer()).as("trickled %d to %s", outcome.declared(), outcome.path())
                            .matches("HTTP/1.1 408.*|closed");
                    assertThat(outcome.after()).as("cut off after the deadline")
                            .isBetween(DEADLINE.minusMillis(500), DEADLINE.plusSeconds(4));
                }
            }
        } finally {
            slow.shutdownNow();
            slow.awaitTermination(LONGEST_SOCKET.toSeconds() + 5, TimeUnit.SECONDS);
        }
    }

    /** Sends a POST's headers, then a byte a second until answered, closed, or 30 s are over. */
    private SlowOutcome trickle(String path, String contentType, long declared) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Instant sent = Instant.now();
            byte[] answer = new byte[256];
            while (Duration.between(sent, Instant.now()).compareTo(LONGEST_SOCKET) < 0) {
                try {
                    int read = in.read(answer);
                    Duration after = Duration.between(sent, Instant.now());
                    if (read < 0) {
                        return new SlowOutcome(path, declared, "closed", after);
                    }
                    String text = new String(answer, 0, read, StandardCharsets.ISO_8859_1);
                    return new SlowOutcome(path, declared, text.lines().findFirst().orElse(""), after);
                } catch (SocketTimeoutException nothingYet) {
                    try {
                        out.write('0');
                        out.flush();
                    } catch (IOException closed) {
                        return new SlowOutcome(path, declared, "closed", Duration.between(sent, Instant.now()));
                    }
                } catch (IOException reset) {
                    return new SlowOutcome(path, declared, "closed", Duration.between(sent, Instant.now()));
                }
            }
            return new SlowOutcome(path, declared, "still open", LONGEST_SOCKET);
        }
    }

    private int portalLoginWithWrongPassword() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri("/bizweb/login"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as("the login page's CSRF token").isTrue();
        String form = "_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                + "&loginId=nobody01&password=" + URLEncoder.encode("wrong パスワード", StandardCharsets.UTF_8);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri("/bizweb/login"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Location")).as("back to the login page with its error (not the expired-form page)")
                .hasValueSatisfying(location -> assertThat(location).endsWith("/bizweb/login?error"));
        return login.statusCode();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    record SlowOutcome(String path, long declared, String answer, Duration after) {
    }

    record Figures(int count, int failures, double rate, long p99Millis, long maxMillis) {
    }

    /** A relying party verifying one fresh code after another (the clock moves a step each time). */
    private final class Verifier {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String service;
        private final String authorization;
        private final TestTokenDevice device;
        private final String path;

        Verifier() throws Exception {
            ServiceId id;
            do {
                id = new ServiceId(String.valueOf(ThreadLocalRandom.current().nextInt(20_000_000, 100_000_000)));
            } while (services.nameOf(id).isPresent());
            services.register(id, "スロー", ServicePolicy.defaults());
            String secret = services.newApiSecret(id, "operator:test");
            io.kagi.test.TestSecrets.register(secret);
            service = id.digits();
            authorization = "Basic " + Base64.getEncoder().encodeToString((service + ":" + secret).getBytes(StandardCharsets.UTF_8));
            path = "/api/v1/services/" + service + "/accounts/slow-1/token";
            HttpResponse<String> issued = http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"mailAddress\":\"slow@example.jp\",\"activationPassword\":\"2468\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            String userId = JSON.readTree(issued.body()).get("userId").asString();
            device = TestTokenDevice.activate("http://127.0.0.1:" + port, service, userId, "2468");
        }

        Figures runFor(Duration length) throws Exception {
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            int failures = 0;
            List<String> reasons = new ArrayList<>();
            long start = System.nanoTime();
            long end = start + length.toNanos();
            int attempts = 0;
            while (System.nanoTime() < end && attempts++ < 20_000) {
                String code = device.codeAt(clock.advance(Duration.ofSeconds(device.parameters().period())));
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path + "/verify"))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", authorization)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failures++;
                        reasons.add(response.statusCode() + " " + response.body());
                    }
                } catch (IOException timedOut) {
                    failures++;
                    reasons.add(timedOut.toString());
                }
                latencies.add(System.nanoTime() - sent);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            reasons.stream().distinct().limit(5).forEach(reason -> System.out.println("verification failed: " + reason));
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            long p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
            long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
            return new Figures(sorted.size(), failures, sorted.size() / seconds, p99 / 1_000_000, max / 1_000_000);
        }
    }
}
