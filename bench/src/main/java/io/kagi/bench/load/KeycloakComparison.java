package io.kagi.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Issue 24: Kagi's portal login beside Keycloak's OIDC browser login with OTP, one driver, the same
 * PostgreSQL server (Kagi in {@code --db-name}, Keycloak in {@code <db-name>_keycloak}), the same
 * 16 virtual users, the same warm-up rule and CPU accounting, measured in interleaved rounds (Kagi,
 * Keycloak, Kagi, Keycloak, …) at two hash settings: equal low cost (Kagi bcrypt 4, Keycloak
 * PBKDF2-SHA256 at the iteration count whose measured cost is bcrypt 4's) and each system's
 * production default (Kagi's Argon2id, Keycloak's Argon2id). Keycloak (the distribution unpacked by
 * bench/run-all.sh, {@code --keycloak-home}) is built for PostgreSQL, started in production mode
 * on {@code --keycloak-java} with HTTP on loopback, and set up through its admin REST API: one realm
 * a setting, brute-force protection on, OTP policy TOTP/HmacSHA1/6 digits/60 s, a confidential
 * client, and as many users as Kagi's login phase has, each with a password and a TOTP credential
 * whose secret the driver knows (copies of a template user made through the API, with the password
 * hash Keycloak itself made under the realm's policy: see {@link #cloneTemplate}).
 *
 * <p>Reused codes: Keycloak refuses a TOTP code a credential has already used (the realm's
 * {@code otpPolicyCodeReusable} is false by default), Kagi refuses a step a token already used. So
 * both sides take their users in turn from a {@link TokenSet}'s step bookkeeping: each login is by
 * a user whose code of this step (or the next, inside both servers' window of ±1) has never been
 * sent, and every measured login is a valid full login.
 */
final class KeycloakComparison {

    static final String CLIENT_ID = "kagi-bench";
    static final String REDIRECT_URI = "http://127.0.0.1:9/kagi-bench/callback";
    static final Totp KEYCLOAK_TOTP = new Totp(HmacAlgorithm.SHA1, 6, Duration.ofSeconds(60));
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("[?&]code=([^&#]+)");

    private final RunAll run;
    private final RunAll.Options options;
    private final BenchDatabase keycloakDb;
    private final String adminPassword;
    private final String clientSecret;
    /** The salt of the users' TOTP secrets ({@link #otpSecret}): hex, so that it goes into SQL as it is. */
    private final String otpSalt;
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int keycloakPort;
    private String browserFlow = "";

    KeycloakComparison(RunAll run) {
        this.run = run;
        this.options = run.options();
        this.keycloakDb = new BenchDatabase(options.dbHost, options.dbPort, options.dbUser, options.dbName + "_keycloak");
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        this.adminPassword = HexFormat.of().formatHex(bytes);
        random.nextBytes(bytes);
        this.clientSecret = HexFormat.of().formatHex(bytes);
        random.nextBytes(bytes);
        this.otpSalt = HexFormat.of().formatHex(bytes);
    }

    /** The two settings compared: Kagi's environment and its users' hash, Keycloak's realm and password policy. */
    record Setting(String name, Map<String, String> kagiEnv, String kagiHash, String kagiHashName, String realm,
                   String passwordPolicy, String keycloakHashName) {
    }

    Map<String, Object> run() throws Exception {
        if (options.keycloakHome == null || !Files.isDirectory(options.keycloakHome)) {
            throw new IllegalArgumentException("--only=keycloak needs --keycloak-home=<unpacked keycloak-quarkus-dist> (bench/run-all.sh fetches it)");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        int users = options.loginAccounts;
        result.put("users", users);
        result.put("virtualUsers", options.loginUsers);
        result.put("roundSeconds", options.loginSeconds);
        result.put("keycloakHome", options.keycloakHome.toString());
        result.put("keycloakJava", options.keycloakJava);

        int iterations = options.pbkdf2Iterations;
        Map<String, Object> hashCosts = new LinkedHashMap<>();
        if (iterations <= 0) {
            // bcrypt 4 against PBKDF2-SHA256 × 10,000 in turns in this JVM, the ratio of each pair:
            // run in separate JVMs one after the other, the two moved by a factor of ten with the
            // other builds' load on the shared machine. N scales linearly.
            iterations = HashCosts.matchingPbkdf2Iterations(4);
            System.out.printf("PBKDF2-SHA256 iterations of bcrypt 4's cost: %d%n", iterations);
        }
        result.put("pbkdf2Iterations", iterations);
        hashCosts.put("kagiJvm", options.java);
        hashCosts.put("keycloakJvm", options.keycloakJava);
        hashCosts.put("millisOnKagiJvm", HashCosts.onJvm(options.java, "measure", Integer.toString(iterations)));
        hashCosts.put("millisOnKeycloakJvm", HashCosts.onJvm(options.keycloakJava, "measure", Integer.toString(iterations)));
        System.out.printf("Hash costs, ms a check (one thread), on Kagi's JVM: %s; on Keycloak's: %s%n",
                hashCosts.get("millisOnKagiJvm"), hashCosts.get("millisOnKeycloakJvm"));
        result.put("hashCosts", hashCosts);

        List<Setting> settings = new ArrayList<>();
        settings.add(new Setting("equal low hash cost",
                Map.of("KAGI_PASSWORDS_ALGORITHM", "bcrypt", "KAGI_PASSWORDS_BCRYPT_STRENGTH", "4"),
                "{bcrypt}" + new BCryptPasswordEncoder(4).encode(LoginLoad.PASSWORD), "bcrypt cost 4",
                "bench-equal", "hashAlgorithm(pbkdf2-sha256) and hashIterations(" + iterations + ")",
                "pbkdf2-sha256 × " + iterations));
        settings.add(new Setting("production defaults", Map.of(),
                "{argon2}" + new Argon2PasswordEncoder(16, 32, 1, HashCosts.KAGI_ARGON2_MEMORY_KIB,
                        HashCosts.KAGI_ARGON2_ITERATIONS).encode(LoginLoad.PASSWORD),
                "argon2id m=19 MiB t=2 p=1", "bench-default", null, "argon2id m=7 MiB t=5 p=1 (Keycloak's default)"));
        if (!options.keycloakSettings.isEmpty()) {
            settings.removeIf(s -> !options.keycloakSettings.contains(s.realm().substring("bench-".length())));
        }

        keycloakDb.recreate();
        run.db().recreate();
        try (ServerNode keycloak = startKeycloak()) {
            result.put("keycloakStartupMillis", keycloak.startupMillis());
            keycloakPort = keycloak.port();
            byte[] master = new byte[32];
            new SecureRandom().nextBytes(master);
            TokenSet kagiTokens = new TokenSet(master, users);
            TokenSet keycloakSteps = new TokenSet(master, users);
            for (Setting setting : settings) {
                long t0 = System.nanoTime();
                setUpRealm(setting, users);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("Keycloak realm %s: %,d users imported in %.0f s%n", setting.realm(), users, seconds);
                result.put("realmSetupSeconds " + setting.realm(), seconds);
            }
            result.put("keycloakBrowserFlow", browserFlow);
            keycloakDb.execute("VACUUM ANALYZE");
            long companyId = -1;
            List<Map<String, Object>> phases = new ArrayList<>();
            result.put("settings", phases);
            for (Setting setting : settings) {
                try (ServerNode kagi = run.startProduction("kagi-" + setting.realm(), options.nodePoolSize, setting.kagiEnv())) {
                    if (companyId < 0) {
                        companyId = LoginLoad.seedPortalUsers(run.db(), run.sealer(), users, kagiTokens);
                    }
                    run.db().execute("UPDATE bizweb_user SET password_hash = '" + setting.kagiHash() + "' WHERE company_id = " + companyId);
                    run.db().execute("VACUUM ANALYZE");
                    phases.add(compare(setting, kagi, keycloak, kagiTokens, keycloakSteps, users));
                }
            }
            result.put("keycloakRssKiBAtEnd", keycloak.rssKiB());
        } finally {
            if (!options.keepDb) {
                keycloakDb.drop();
                run.db().drop();
            }
        }
        return result;
    }

    private Map<String, Object> compare(Setting setting, ServerNode kagi, ServerNode keycloak, TokenSet kagiTokens,
                                        TokenSet keycloakSteps, int users) throws Exception {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("setting", setting.name());
        phase.put("kagiHash", setting.kagiHashName());
        phase.put("keycloakHash", setting.keycloakHashName());
        phase.put("keycloakPasswordPolicy", setting.passwordPolicy() == null ? "(none: Keycloak's default)" : setting.passwordPolicy());
        AtomicLong kagiCursor = new AtomicLong();
        AtomicLong keycloakCursor = new AtomicLong();
        // The same rule for both: 5-second windows until two agree within 5 % and the JIT is quiet.
        phase.put("warmupSecondsKagi", ClosedLoop.warmUntilSteady("Kagi warm-up, " + setting.kagiHashName(), options.loginUsers,
                i -> LoginLoad.worker(kagi.port(), kagiTokens, kagiCursor, i), Duration.ofSeconds(options.warmupSeconds),
                Duration.ofSeconds(options.warmupMaxSeconds), List.of(kagi), run.db()));
        phase.put("warmupSecondsKeycloak", ClosedLoop.warmUntilSteady("Keycloak warm-up, " + setting.keycloakHashName(),
                options.loginUsers, i -> worker(keycloak.port(), setting.realm(), keycloakSteps, keycloakCursor, i),
                Duration.ofSeconds(options.warmupSeconds), Duration.ofSeconds(options.warmupMaxSeconds), List.of(keycloak), keycloakDb));
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int round = 1; round <= options.rounds; round++) {
            Map<String, Object> k = ClosedLoop.run("Kagi, " + setting.kagiHashName() + ", round " + round, options.loginUsers,
                    i -> LoginLoad.worker(kagi.port(), kagiTokens, kagiCursor, i), Duration.ZERO,
                    Duration.ofSeconds(options.loginSeconds), Long.MAX_VALUE, List.of(kagi), run.db()).toMap();
            k.put("system", "Kagi");
            k.put("round", round);
            k.put("requestsPerLogin", 5);
            rounds.add(k);
            Map<String, Object> c = ClosedLoop.run("Keycloak, " + setting.keycloakHashName() + ", round " + round,
                    options.loginUsers, i -> worker(keycloak.port(), setting.realm(), keycloakSteps, keycloakCursor, i),
                    Duration.ZERO, Duration.ofSeconds(options.loginSeconds), Long.MAX_VALUE, List.of(keycloak), keycloakDb).toMap();
            c.put("system", "Keycloak");
            c.put("round", round);
            c.put("requestsPerLogin", 4);
            rounds.add(c);
            System.out.printf("    pair %d: Kagi ÷ Keycloak %.2f× the rate; CPU a login (server + PostgreSQL) %.1f ms against %.1f ms; load average %.1f%n",
                    round, num(k, "perSecond") / num(c, "perSecond"), cpuMillis(k), cpuMillis(c), num(c, "loadAverage1mAtEnd"));
        }
        phase.put("rounds", rounds);
        return phase;
    }

    static double num(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Server and PostgreSQL CPU a login, ms. */
    static double cpuMillis(Map<String, Object> round) {
        return (num(round, "serverCpuMicrosPerOp") + num(round, "databaseCpuMicrosPerOp")) / 1000;
    }

    // --- Keycloak: build, start, set up -------------------------------------------------------

    private ServerNode startKeycloak() throws Exception {
        Path home = options.keycloakHome.toAbsolutePath();
        Path kc = home.resolve("bin/kc.sh");
        Map<String, String> env = new LinkedHashMap<>();
        Path javaHome = Path.of(options.keycloakJava).getParent().getParent();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("JAVA", options.keycloakJava);
        Path logs = Files.createDirectories(run.work().resolve("keycloak"));
        long t0 = System.nanoTime();
        List<String> build = List.of("/bin/bash", kc.toString(), "build", "--db=postgres", "--cache=" + options.keycloakCache);
        // kc.sh build takes one to two minutes here; a marker beside its output says with which options it last ran.
        Path marker = home.resolve("lib/quarkus/kagi-bench-build");
        if (Files.exists(marker) && Files.readString(marker).equals(String.join(" ", build.subList(2, build.size())))) {
            System.out.println("Keycloak already built with " + Files.readString(marker));
        } else {
            buildKeycloak(build, home, env, logs, t0);
            Files.writeString(marker, String.join(" ", build.subList(2, build.size())));
        }
        int port = RunAll.freePort();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("KC_DB_URL", keycloakDb.jdbcUrl());
        env.put("KC_DB_USERNAME", keycloakDb.user());
        env.put("KC_DB_PASSWORD", "trust-authentication");
        List<String> start = new ArrayList<>(List.of("/bin/bash", kc.toString(), "start", "--optimized",
                "--http-enabled=true", "--hostname-strict=false", "--http-host=127.0.0.1", "--http-port=" + port));
        if (options.keycloakCache.equals("ispn")) {
            // A cluster of one: JGroups on loopback, so it neither reaches out nor meets another helper's Keycloak.
            start.add("-Djgroups.bind.address=127.0.0.1");
            start.add("-Djgroups.bind.port=" + RunAll.freePort());
        }
        ServerNode node = ServerNode.startCommand(start, env, home, port, "/realms/master", logs.resolve("keycloak.log"), 300);
        System.out.printf("Keycloak up in %d ms on port %d (java pid %d; log %s)%n", node.startupMillis(), port, node.pid(),
                logs.resolve("keycloak.log"));
        return node;
    }

    private static void buildKeycloak(List<String> build, Path home, Map<String, String> env, Path logs, long t0)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(build).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(logs.resolve("build.log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(600, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("kc.sh build failed; see " + logs.resolve("build.log"));
        }
        System.out.printf("Keycloak built for PostgreSQL in %.0f s (%s)%n", (System.nanoTime() - t0) / 1e9, home);
    }

    private String adminToken() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(LoginLoad.form("grant_type", "password", "client_id", "admin-cli",
                        "username", "admin", "password", adminPassword))).build(), 200);
        Matcher matcher = ACCESS_TOKEN.matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("No admin token: " + response.body());
        }
        return matcher.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + keycloakPort + path);
    }

    private HttpResponse<String> send(HttpRequest request, int... expected) throws IOException, InterruptedException {
        HttpResponse<String> response = admin.send(request, HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                + response.body());
    }

    private HttpResponse<String> adminJson(String method, String path, String json, int... expected)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), expected);
    }

    /**
     * One realm: brute-force protection on, the OTP policy, a confidential client, the browser
     * flow's OTP step required, a template user whose password Keycloak hashes under the realm's
     * policy, then the users as its copies ({@link #cloneTemplate}).
     */
    private void setUpRealm(Setting setting, int users) throws Exception {
        String realm = setting.realm();
        StringBuilder json = new StringBuilder("{\"realm\":\"").append(realm).append("\",\"enabled\":true,")
                .append("\"bruteForceProtected\":true,\"otpPolicyType\":\"totp\",\"otpPolicyAlgorithm\":\"HmacSHA1\",")
                .append("\"otpPolicyDigits\":6,\"otpPolicyPeriod\":60,\"otpPolicyLookAheadWindow\":1,\"otpPolicyCodeReusable\":false,");
        if (setting.passwordPolicy() != null) {
            json.append("\"passwordPolicy\":\"").append(setting.passwordPolicy()).append("\",");
        }
        json.append("\"clients\":[{\"clientId\":\"").append(CLIENT_ID).append("\",\"enabled\":true,\"publicClient\":false,")
                .append("\"clientAuthenticatorType\":\"client-secret\",\"secret\":\"").append(clientSecret).append("\",")
                .append("\"redirectUris\":[\"").append(REDIRECT_URI).append("\"],\"standardFlowEnabled\":true,")
                .append("\"directAccessGrantsEnabled\":false,\"protocol\":\"openid-connect\"}]}");
        adminJson("POST", "/admin/realms", json.toString(), 201);
        // The browser flow's OTP step: the conditional sub-flow "Browser - Conditional OTP" made
        // REQUIRED, so that no login of this realm passes without a code.
        requireOtp(realm);
        adminJson("POST", "/admin/realms/" + realm + "/users", userJson("template", -1, null,
                "[{\"type\":\"password\",\"value\":\"" + LoginLoad.PASSWORD + "\",\"temporary\":false}]"), 201);
        String secretData;
        String credentialData;
        try (Connection connection = keycloakDb.connect(); PreparedStatement select = connection.prepareStatement("""
                SELECT c.secret_data, c.credential_data FROM credential c JOIN user_entity u ON u.id = c.user_id
                JOIN realm r ON r.id = u.realm_id WHERE r.name = ? AND u.username = 'template' AND c.type = 'password'""")) {
            select.setString(1, realm);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("Keycloak stored no password for the template user of " + realm);
                }
                secretData = rs.getString(1);
                credentialData = rs.getString(2);
            }
        }
        System.out.printf("Keycloak realm %s: password credential %s%n", realm, credentialData);
        cloneTemplate(realm, users);
    }

    /**
     * The realm's users as copies of the template user Keycloak made (its row, its password
     * credential, its role mappings), each with its own user name, e-mail address and a TOTP
     * credential (the row Keycloak's partial import writes for {@code {"type":"otp", secretData,
     * credentialData}}), in one SQL transaction: the admin API's partial import took 80 s per
     * 1,000 users on the shared two cores, over an hour for 60,000, where this takes seconds.
     * The secret of user {@code n} is the first 20 hex digits of MD5(salt ‖ n), which the driver
     * computes alike ({@link #otpSecret}).
     */
    private void cloneTemplate(String realm, int users) throws Exception {
        try (Connection connection = keycloakDb.connect()) {
            connection.setAutoCommit(false);
            String template;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT u.id FROM user_entity u JOIN realm r ON r.id = u.realm_id WHERE r.name = ? AND u.username = 'template'")) {
                select.setString(1, realm);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    template = rs.getString(1);
                }
            }
            String username = "'bench' || lpad(b.n::text, 6, '0')";
            String[] statements = {
                    "CREATE TEMPORARY TABLE bench_users ON COMMIT DROP AS SELECT gen_random_uuid()::text AS id, g AS n"
                            + " FROM generate_series(0, " + (users - 1) + ") g",
                    "INSERT INTO user_entity (id, email, email_constraint, email_verified, enabled, first_name, last_name, realm_id,"
                            + " username, created_timestamp, not_before) SELECT b.id, " + username + " || '@bench.invalid', "
                            + username + " || '@bench.invalid', t.email_verified, t.enabled, t.first_name, 'User ' || b.n, t.realm_id, "
                            + username + ", t.created_timestamp, 0 FROM bench_users b, user_entity t WHERE t.id = ?",
                    "INSERT INTO credential (id, salt, type, user_id, created_date, user_label, secret_data, credential_data, priority,"
                            + " version) SELECT gen_random_uuid()::text, c.salt, c.type, b.id, c.created_date, c.user_label, c.secret_data,"
                            + " c.credential_data, c.priority, c.version FROM bench_users b, credential c WHERE c.user_id = ?",
                    "INSERT INTO credential (id, type, user_id, created_date, user_label, secret_data, credential_data, priority, version)"
                            + " SELECT gen_random_uuid()::text, 'otp', b.id, " + System.currentTimeMillis() + ", 'bench',"
                            + " '{\"value\":\"' || substr(md5('" + otpSalt + "' || b.n), 1, 20) || '\"}',"
                            + " '{\"subType\":\"totp\",\"digits\":6,\"counter\":0,\"period\":60,\"algorithm\":\"HmacSHA1\"}', 20, 0"
                            + " FROM bench_users b",
                    "INSERT INTO user_role_mapping (role_id, user_id) SELECT m.role_id, b.id FROM bench_users b, user_role_mapping m"
                            + " WHERE m.user_id = ?"};
            for (String sql : statements) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (sql.contains("?")) {
                        statement.setString(1, template);
                    }
                    statement.execute();
                }
            }
            connection.commit();
        }
    }

    private void requireOtp(String realm) throws Exception {
        HttpResponse<String> executions = send(HttpRequest.newBuilder(uri("/admin/realms/" + realm
                + "/authentication/flows/browser/executions")).header("Authorization", "Bearer " + adminToken()).GET().build(), 200);
        Matcher matcher = Pattern.compile("\\{[^{}]*\"displayName\"\\s*:\\s*\"[^\"]*Conditional (OTP|2FA)[^\"]*\"[^{}]*}").matcher(executions.body());
        if (!matcher.find()) {
            throw new IllegalStateException("No conditional OTP sub-flow in the browser flow of " + realm + ": " + executions.body());
        }
        String execution = matcher.group().replaceAll("\"requirement\"\\s*:\\s*\"[A-Z]+\"", "\"requirement\":\"REQUIRED\"");
        adminJson("PUT", "/admin/realms/" + realm + "/authentication/flows/browser/executions", execution, 202, 204);
        HttpResponse<String> after = send(HttpRequest.newBuilder(uri("/admin/realms/" + realm
                + "/authentication/flows/browser/executions")).header("Authorization", "Bearer " + adminToken()).GET().build(), 200);
        Matcher each = Pattern.compile("\\{[^{}]*}").matcher(after.body());
        List<String> steps = new ArrayList<>();
        while (each.find()) {
            Matcher name = Pattern.compile("\"displayName\"\\s*:\\s*\"([^\"]*)\"").matcher(each.group());
            Matcher requirement = Pattern.compile("\"requirement\"\\s*:\\s*\"([A-Z_]+)\"").matcher(each.group());
            if (name.find() && requirement.find()) {
                steps.add(name.group(1) + ": " + requirement.group(1));
            }
        }
        browserFlow = String.join("; ", steps);
        System.out.printf("Keycloak realm %s, browser flow: %s%n", realm, browserFlow);
    }

    private static String userJson(String username, int index, String ignored, String credentials) {
        String n = index < 0 ? "template" : Integer.toString(index);
        return "{\"username\":\"" + username + "\",\"enabled\":true,\"emailVerified\":true,\"firstName\":\"Bench\",\"lastName\":\"User "
                + n + "\",\"email\":\"" + username + "@bench.invalid\",\"credentials\":" + credentials + "}";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** User {@code n}'s TOTP secret as Keycloak stores it (20 ASCII characters; the key is their bytes): MD5(salt ‖ n)'s first 20 hex digits. */
    String otpSecret(int user) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5").digest((otpSalt + user).getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the driver ----------------------------------------------------------------------------

    /** Virtual user {@code vu}, from its own loopback address as on Kagi's side ({@link LoginLoad#clientAddress}). */
    ClosedLoop.Worker worker(int port, String realm, TokenSet steps, AtomicLong cursor, int vu) {
        MiniHttp http = new MiniHttp("127.0.0.1", port, 60_000, LoginLoad.clientAddress(vu));
        return new ClosedLoop.Worker() {
            @Override
            public boolean call() throws Exception {
                int user;
                long step;
                int tries = 0;
                do {
                    user = (int) (cursor.getAndIncrement() % steps.capacity());
                    step = steps.freshStep(user, Instant.now());
                    if (++tries > steps.capacity()) {
                        throw new IllegalStateException("every user has used the codes of this step");
                    }
                } while (step < 0);
                String code = KEYCLOAK_TOTP.generateAtStep(otpSecret(user).getBytes(StandardCharsets.US_ASCII), step);
                return login(http, realm, LoginLoad.loginId(user), code, clientSecret);
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>");
    static final Pattern OTP_FORM = Pattern.compile("<form[^>]*id=\"kc-otp-login-form\"[^>]*>");
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

    /**
     * Keycloak's OIDC browser login with OTP in a fresh session: GET the authorization endpoint
     * (login page), POST the password form, POST the OTP form, take the code from the redirect to the
     * client's redirect URI (the client is this driver: nothing listens there), exchange the code at
     * the token endpoint. True when an access token came back.
     */
    static boolean login(MiniHttp http, String realm, String username, String code, String clientSecret) throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        String redirect = URLEncoder.encode(REDIRECT_URI, StandardCharsets.UTF_8);
        String state = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        MiniHttp.Response page = http.exchange("GET", "/realms/" + realm + "/protocol/openid-connect/auth?client_id=" + CLIENT_ID
                + "&redirect_uri=" + redirect + "&response_type=code&scope=openid&state=" + state + "&nonce=" + state,
                LoginLoad.headers(cookies), null);
        LoginLoad.remember(page, cookies);
        String passwordAction = action(LOGIN_FORM, page);
        if (page.status() != 200 || passwordAction == null) {
            return LoginLoad.failed("authorization endpoint", page);
        }
        MiniHttp.Response otpPage = http.exchange("POST", passwordAction, LoginLoad.formHeaders(cookies),
                LoginLoad.form("username", username, "password", LoginLoad.PASSWORD, "credentialId", ""));
        LoginLoad.remember(otpPage, cookies);
        String otpAction = action(OTP_FORM, otpPage);
        if (otpPage.status() != 200 || otpAction == null) {
            return LoginLoad.failed("password form", otpPage);
        }
        MiniHttp.Response redirected = http.exchange("POST", otpAction, LoginLoad.formHeaders(cookies),
                LoginLoad.form("otp", code, "login", "Sign In"));
        LoginLoad.remember(redirected, cookies);
        String location = redirected.header("location");
        if (redirected.status() != 302 || location == null || !location.startsWith(REDIRECT_URI)) {
            return LoginLoad.failed("OTP form " + code, redirected);
        }
        Matcher authorizationCode = CODE.matcher(location);
        if (!authorizationCode.find() || !location.contains("state=" + state)) {
            return LoginLoad.failed("redirect", redirected);
        }
        MiniHttp.Response token = http.exchange("POST", "/realms/" + realm + "/protocol/openid-connect/token",
                List.of("Content-Type: application/x-www-form-urlencoded", "Accept: application/json"),
                LoginLoad.form("grant_type", "authorization_code", "code",
                        java.net.URLDecoder.decode(authorizationCode.group(1), StandardCharsets.UTF_8), "redirect_uri", REDIRECT_URI,
                        "client_id", CLIENT_ID, "client_secret", clientSecret));
        return token.status() == 200 && ACCESS_TOKEN.matcher(token.text()).find() || LoginLoad.failed("token endpoint", token);
    }

    /** The form's action as a path on the server ({@code &amp;} undone, scheme and host cut off). */
    static String action(Pattern form, MiniHttp.Response page) {
        Matcher tag = form.matcher(page.text());
        if (!tag.find()) {
            return null;
        }
        Matcher action = ACTION.matcher(tag.group());
        if (!action.find()) {
            return null;
        }
        String url = action.group(1).replace("&amp;", "&");
        int path = url.indexOf("://");
        return path < 0 ? url : url.substring(url.indexOf('/', path + 3));
    }

    // --- the report ----------------------------------------------------------------------------

    /** The comparison as Markdown: hash costs, then per setting each round and the pairs' ratios. */
    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> result) {
        StringBuilder md = new StringBuilder("## Kagi beside Keycloak (issue 24)\n\n");
        md.append(String.format("One driver, %s virtual users, %,d users on each side (each with a password and a TOTP credential, "
                        + "60-s step, 6 digits), the same PostgreSQL server (each system its own database), %s-s rounds interleaved "
                        + "Kagi, Keycloak, Kagi, Keycloak, … after each side was warmed until steady. Kagi: the portal's full login "
                        + "(5 requests: login page, password, OTP page, OTP, top page). Keycloak (%s, production mode, `kc.sh start "
                        + "--optimized`, HTTP on loopback, on `%s`): OIDC browser login with OTP (4 requests: authorization "
                        + "endpoint, password form, OTP form, token endpoint; the code is taken from the redirect's Location). "
                        + "CPU a login: the server's process and PostgreSQL's backends of its database, from /proc.%n%n",
                result.get("virtualUsers"), ((Number) result.get("users")).intValue(), result.get("roundSeconds"),
                result.get("keycloakHome"), result.get("keycloakJava")));
        Map<String, Object> costs = (Map<String, Object>) result.get("hashCosts");
        if (costs != null) {
            Map<String, Object> kagiJvm = (Map<String, Object>) costs.get("millisOnKagiJvm");
            Map<String, Object> keycloakJvm = (Map<String, Object>) costs.get("millisOnKeycloakJvm");
            md.append("Each hash's own cost: one check on one thread, the median of three turns (each hash in turn), measured on "
                    + "each server's JVM (Kagi's `").append(costs.get("kagiJvm")).append("`, Keycloak's `").append(costs.get("keycloakJvm"))
                    .append("`). PBKDF2-SHA256's iteration count is the one whose cost is bcrypt 4's: bcrypt 4 and PBKDF2 × 10,000 ")
                    .append("measured in nine turns in the driver's JVM, N = 10,000 × the median ratio, rounded to 100.\n\n| hash | ms a check on Kagi's JVM | on Keycloak's JVM |\n|---|---:|---:|\n");
            kagiJvm.forEach((name, ms) -> md.append(String.format("| %s | %.2f | %.2f |%n", name, ((Number) ms).doubleValue(),
                    num(keycloakJvm, name))));
            md.append('\n');
        }
        for (Map<String, Object> setting : (List<Map<String, Object>>) result.getOrDefault("settings", List.of())) {
            md.append("### ").append(setting.get("setting")).append(": Kagi ").append(setting.get("kagiHash"))
                    .append(", Keycloak ").append(setting.get("keycloakHash")).append("\n\n");
            md.append(String.format("Warm-up: Kagi %.0f s, Keycloak %.0f s. Keycloak's password policy: `%s`.%n%n",
                    num(setting, "warmupSecondsKagi"), num(setting, "warmupSecondsKeycloak"), setting.get("keycloakPasswordPolicy")));
            md.append("| round | system | logins/s | failed | p50 ms | p99 ms | server CPU ms a login | PostgreSQL CPU ms a login "
                    + "| both | JIT % | machine busy % | load avg |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            List<Map<String, Object>> rounds = (List<Map<String, Object>>) setting.get("rounds");
            for (Map<String, Object> r : rounds) {
                md.append(String.format("| %s | %s | %.1f | %d | %.1f | %.1f | %.2f | %.2f | %.2f | %.0f | %.0f | %.1f |%n",
                        r.get("round"), r.get("system"), num(r, "perSecond"), ((Number) r.get("failed")).longValue(),
                        num(r, "p50Millis"), num(r, "p99Millis"), num(r, "serverCpuMicrosPerOp") / 1000,
                        num(r, "databaseCpuMicrosPerOp") / 1000, cpuMillis(r), num(r, "serverCompilerPercent"),
                        num(r, "machineBusyPercent"), num(r, "loadAverage1mAtEnd")));
            }
            md.append("\n| pair | Kagi ÷ Keycloak, logins/s | Keycloak ÷ Kagi, server CPU a login | Keycloak ÷ Kagi, PostgreSQL CPU "
                    + "| Keycloak ÷ Kagi, both |\n|---|---:|---:|---:|---:|\n");
            List<Double> rate = new ArrayList<>();
            List<Double> both = new ArrayList<>();
            for (int i = 0; i + 1 < rounds.size(); i += 2) {
                Map<String, Object> k = rounds.get(i);
                Map<String, Object> c = rounds.get(i + 1);
                double r = num(k, "perSecond") / num(c, "perSecond");
                double b = cpuMillis(c) / cpuMillis(k);
                rate.add(r);
                both.add(b);
                md.append(String.format("| %s | %.2f× | %.2f× | %.2f× | %.2f× |%n", k.get("round"), r,
                        num(c, "serverCpuMicrosPerOp") / num(k, "serverCpuMicrosPerOp"),
                        num(c, "databaseCpuMicrosPerOp") / num(k, "databaseCpuMicrosPerOp"), b));
            }
            md.append(String.format("| median | **%.2f×** | | | **%.2f×** |%n%n", median(rate), median(both)));
        }
        return md.toString();
    }

    /** The medians over a setting's pairs: Kagi's rate over Keycloak's, Keycloak's CPU a login (server + PostgreSQL) over Kagi's. */
    @SuppressWarnings("unchecked")
    static double[] medians(Map<String, Object> setting) {
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) setting.get("rounds");
        List<Double> rate = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i + 1 < rounds.size(); i += 2) {
            rate.add(num(rounds.get(i), "perSecond") / num(rounds.get(i + 1), "perSecond"));
            cpu.add(cpuMillis(rounds.get(i + 1)) / cpuMillis(rounds.get(i)));
        }
        return new double[] {median(rate), median(cpu)};
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
