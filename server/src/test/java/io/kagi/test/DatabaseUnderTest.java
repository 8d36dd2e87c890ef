package io.kagi.test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The database an integration test runs on, chosen by the system property
 * {@code kagi.test.database}: {@code h2} (an in-memory database per Spring context) or
 * {@code postgresql} (a fresh schema per Spring context in the database at
 * {@code KAGI_TEST_POSTGRES_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code KAGI_TEST_POSTGRES_USER}, default {@code postgres}; dropped when the JVM ends).
 *
 * <p>The key ring is one random key, unless the test sets {@code kagi.keys.ring} itself (a key
 * rotation test does, with {@code @TestPropertySource}).
 *
 * <p>Where PostgreSQL cannot be reached the tests are skipped with a printed notice, except under
 * CI, where that is a failure.
 */
public final class DatabaseUnderTest implements ApplicationContextInitializer<ConfigurableApplicationContext>, ExecutionCondition {

    private static final String POSTGRES_URL = Optional.ofNullable(System.getenv("KAGI_TEST_POSTGRES_URL"))
            .orElse("jdbc:postgresql://127.0.0.1:5432/test");
    private static final String POSTGRES_USER = Optional.ofNullable(System.getenv("KAGI_TEST_POSTGRES_USER")).orElse("postgres");
    private static final String POSTGRES_PASSWORD = Optional.ofNullable(System.getenv("KAGI_TEST_POSTGRES_PASSWORD")).orElse("");
    private static final ConcurrentLinkedQueue<String> SCHEMAS = new ConcurrentLinkedQueue<>();
    private static volatile String postgresProblem;
    private static volatile boolean postgresChecked;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(DatabaseUnderTest::dropSchemas, "drop-test-schemas"));
    }

    /** {@code h2} or {@code postgresql}. */
    public static String name() {
        return System.getProperty("kagi.test.database", "h2").toLowerCase(Locale.ROOT);
    }

    public static boolean isPostgres() {
        return name().equals("postgresql");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!isPostgres()) {
            return ConditionEvaluationResult.enabled("runs on H2");
        }
        String problem = postgresProblem();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("PostgreSQL at " + POSTGRES_URL);
        }
        if (Environment.isCi()) {
            throw new IllegalStateException("CI=true and PostgreSQL is not reachable at " + POSTGRES_URL + ": " + problem);
        }
        String notice = "NOTICE: skipping PostgreSQL integration tests: " + POSTGRES_URL + " is not reachable (" + problem + ")";
        System.out.println(notice);
        return ConditionEvaluationResult.disabled(notice);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Map<String, Object> properties = new HashMap<>();
        if (isPostgres()) {
            String schema = "kagi_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            execute("CREATE SCHEMA " + schema);
            SCHEMAS.add(schema);
            properties.put("spring.datasource.url", POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            properties.put("spring.datasource.username", POSTGRES_USER);
            properties.put("spring.datasource.password", POSTGRES_PASSWORD);
            properties.put("spring.flyway.schemas", schema);
            properties.put("spring.flyway.default-schema", schema);
            System.out.println("Integration test context on PostgreSQL, schema " + schema);
        } else {
            properties.put("spring.datasource.url", "jdbc:h2:mem:kagi-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1");
        }
        String ring = context.getEnvironment().getProperty("kagi.keys.ring");
        if (ring == null || ring.isBlank()) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            properties.put("kagi.keys.ring", "test-1=" + Base64.getEncoder().encodeToString(key));
        }
        properties.put("kagi.keys.generate-if-missing", "false");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("kagi-test-database", properties));
    }

    private static String postgresProblem() {
        if (!postgresChecked) {
            synchronized (DatabaseUnderTest.class) {
                if (!postgresChecked) {
                    try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD)) {
                        postgresProblem = connection.isValid(5) ? null : "connection not valid";
                    } catch (SQLException e) {
                        postgresProblem = e.getMessage();
                    }
                    postgresChecked = true;
                }
            }
        }
        return postgresProblem;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, POSTGRES_PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL refused: " + sql, e);
        }
    }

    private static void dropSchemas() {
        for (String schema : SCHEMAS) {
            try {
                execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (RuntimeException e) {
                System.err.println("Could not drop test schema " + schema + ": " + e.getMessage());
            }
        }
    }
}
