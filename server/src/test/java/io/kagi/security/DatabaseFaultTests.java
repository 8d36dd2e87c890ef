package io.kagi.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.kagi.KagiApplication;
import io.kagi.authority.ServiceId;
import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stopped in the middle of verification and of issuance (a private throwaway cluster,
 * never the shared server): the client gets a clear 503 problem without a stack trace, the
 * transaction leaves nothing half-written, and the service answers again once the database is
 * back, without a restart of Kagi.
 *
 * <p>"In the middle" is made exact: another connection holds a lock on the audit table, so the
 * request stops at its audit insert, after it has already changed the token row in its
 * transaction; then the database is stopped with {@code pg_ctl stop -m immediate}.
 */
class DatabaseFaultTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static PrivatePostgres postgres;
    private static ConfigurableApplicationContext kagi;
    private static String baseUrl;
    private static String service;
    private static String secret;

    @BeforeAll
    static void startPrivateDatabaseAndKagi() throws Exception {
        Optional<Path> binaries = PrivatePostgres.binaries();
        if (binaries.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true and no PostgreSQL programs (initdb, pg_ctl) are installed");
            }
            System.out.println("NOTICE: skipping the database fault tests: no PostgreSQL programs (initdb, pg_ctl) found");
            Assumptions.abort("no PostgreSQL programs");
        }
        postgres = PrivatePostgres.start(binaries.get());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.datasource.hikari.connection-timeout", "2000");
        properties.put("spring.datasource.hikari.validation-timeout", "1000");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("kagi.demo.enabled", "false");
        properties.put("kagi.data-dir", "target/test-data");
        properties.put("kagi.keys.ring", "fault-1=" + Base64.getEncoder().encodeToString(key));
        properties.put("kagi.keys.generate-if-missing", "false");
        properties.put("kagi.passwords.bcrypt-strength", "4");
        // As command-line arguments: they take precedence over application.yml.
        kagi = new SpringApplicationBuilder(KagiApplication.class)
                .run(properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) kagi).getWebServer().getPort();
        Services services = kagi.getBean(Services.class);
        ServiceId id = new ServiceId("31415926");
        services.register(id, "障害テスト", ServicePolicy.defaults());
        secret = services.newApiSecret(id, "operator:test");
        io.kagi.test.TestSecrets.register(secret);
        service = id.digits();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (kagi != null) {
            kagi.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void databaseLostInTheMiddleOfVerificationLeavesTheCodeUnusedAndServiceResumes() throws Exception {
        TestTokenDevice device = activeToken("verify-1");
        String code = device.codeAt(Instant.now());

        HttpResponse<String> interrupted = whileStoppedAtTheAuditInsert(
                () -> api("POST", "/accounts/verify-1/token/verify", "{\"code\":\"" + code + "\"}"));

        assertUnavailableProblem(interrupted);
        HttpResponse<String> whileDown = api("POST", "/accounts/verify-1/token/verify", "{\"code\":\"" + code + "\"}");
        assertUnavailableProblem(whileDown);

        postgres.startAgain();
        Map<String, Object> row = tokenRow("verify-1");
        assertThat(row.get("state")).isEqualTo("ACTIVE");
        assertThat(row.get("last_accepted_step")).as("the interrupted acceptance was rolled back").isNull();
        assertThat(row.get("consecutive_failures")).isEqualTo(0);
        HttpResponse<String> resumed = awaitAnswer(() -> api("POST", "/accounts/verify-1/token/verify",
                "{\"code\":\"" + code + "\"}"));
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(api("POST", "/accounts/verify-1/token/verify", "{\"code\":\"" + code + "\"}").statusCode())
                .as("still accepted only once").isEqualTo(422);
    }

    @Test
    void databaseLostInTheMiddleOfIssuanceLeavesNoHalfWrittenTokenAndServiceResumes() throws Exception {
        TestTokenDevice device = activeToken("issue-1");
        long tokensBefore = count("SELECT count(*) FROM authority_token");
        long mailsBefore = count("SELECT count(*) FROM mail_outbox");

        HttpResponse<String> interrupted = whileStoppedAtTheAuditInsert(() -> api("POST", "/accounts/issue-1/token",
                "{\"mailAddress\":\"issue-1@example.jp\",\"activationPassword\":\"20261124\"}"));

        assertUnavailableProblem(interrupted);
        postgres.startAgain();
        assertThat(count("SELECT count(*) FROM authority_token")).as("no new token row").isEqualTo(tokensBefore);
        assertThat(count("SELECT count(*) FROM mail_outbox")).as("no notice of a token that was never issued")
                .isEqualTo(mailsBefore);
        assertThat(tokenRow("issue-1").get("state")).as("the earlier token was not voided").isEqualTo("ACTIVE");
        HttpResponse<String> verified = awaitAnswer(() -> api("POST", "/accounts/issue-1/token/verify",
                "{\"code\":\"" + device.codeAt(Instant.now()) + "\"}"));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);

        HttpResponse<String> issued = api("POST", "/accounts/issue-1/token",
                "{\"mailAddress\":\"issue-1@example.jp\",\"activationPassword\":\"20261124\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        assertThat(tokenRow("issue-1").get("state")).isEqualTo("ISSUED");
        assertThat(tokenRow("issue-1").get("srp_verifier_sealed")).isNotNull();
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsAwayAndLivenessStaysUp() throws Exception {
        assertThat(awaitManagement("/actuator/health/readiness", 200).statusCode()).isEqualTo(200);

        postgres.crash();
        HttpResponse<String> readinessWhileDown;
        HttpResponse<String> livenessWhileDown;
        try {
            readinessWhileDown = awaitManagement("/actuator/health/readiness", 503);
            livenessWhileDown = management("/actuator/health/liveness");
        } finally {
            postgres.startAgain();
        }
        HttpResponse<String> readinessAfter = awaitManagement("/actuator/health/readiness", 200);

        assertThat(readinessWhileDown.statusCode()).as("the load balancer takes the node out").isEqualTo(503);
        assertThat(readinessWhileDown.body()).contains("\"primaryDatabase\":{\"status\":\"DOWN\"}");
        assertThat(livenessWhileDown.statusCode()).as("no restart: the node is fine").isEqualTo(200);
        assertThat(readinessAfter.statusCode()).as("back in by itself").isEqualTo(200);
    }

    /** Asks the management port until it answers {@code status} (at most 30 seconds); the last answer. */
    private static HttpResponse<String> awaitManagement(String path, int status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        HttpResponse<String> last = management(path);
        while (last.statusCode() != status && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            last = management(path);
        }
        return last;
    }

    private static HttpResponse<String> management(String path) throws Exception {
        String port = kagi.getEnvironment().getRequiredProperty("local.management.port");
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request while another connection locks the audit table, then crashes the database under it. */
    private static HttpResponse<String> whileStoppedAtTheAuditInsert(Request request) throws Exception {
        Connection blocker = postgres.connect();
        blocker.setAutoCommit(false);
        try (Statement statement = blocker.createStatement()) {
            statement.execute("LOCK TABLE audit_event IN EXCLUSIVE MODE");
        }
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return request.send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitWaitingLock();
        postgres.crash();
        try {
            blocker.close();
        } catch (java.sql.SQLException goneWithTheServer) {
            // the blocker's connection died with the server
        }
        return answer.get(60, TimeUnit.SECONDS);
    }

    private static void awaitWaitingLock() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        try (Connection watcher = postgres.connect(); Statement statement = watcher.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet waiting = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
                    waiting.next();
                    if (waiting.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("The request never reached its audit insert");
    }

    private static void assertUnavailableProblem(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("\"code\":\"unavailable\"")
                .doesNotContain("Exception", "\tat ", "PSQL", "SQL", "org.");
    }

    private static TestTokenDevice activeToken(String account) throws Exception {
        HttpResponse<String> issued = api("POST", "/accounts/" + account + "/token",
                "{\"mailAddress\":\"" + account + "@example.jp\",\"activationPassword\":\"4649\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String userId = issued.body().replaceAll(".*\"userId\":\"([0-9]{6})\".*", "$1");
        return TestTokenDevice.activate(baseUrl, service, userId, "4649");
    }

    private static HttpResponse<String> awaitAnswer(Request request) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        HttpResponse<String> last = request.send();
        while (last.statusCode() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            last = request.send();
        }
        return last;
    }

    private static HttpResponse<String> api(String method, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/services/" + service + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Basic " + Base64.getEncoder()
                                .encodeToString((service + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> tokenRow(String account) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     SELECT t.state, t.last_accepted_step, t.consecutive_failures, t.srp_verifier_sealed
                     FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                     WHERE a.account_ref = '%s' ORDER BY t.id DESC LIMIT 1""".formatted(account))) {
            row.next();
            Map<String, Object> values = new HashMap<>();
            for (String column : List.of("state", "last_accepted_step", "consecutive_failures", "srp_verifier_sealed")) {
                values.put(column, row.getObject(column));
            }
            return values;
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    @FunctionalInterface
    private interface Request {
        HttpResponse<String> send() throws Exception;
    }
}
