package io.kagi.bench.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Kagi's load benchmarks in one run (bench/run-all.sh): verify throughput over HTTP at 1,000,000
 * tokens beside pgbench running the same UPDATE, verify latency at 10,000 tokens, three nodes on
 * one database and the replay storm, the portal's full login at two bcrypt costs, resident memory
 * and start-up time. Loopback only; every phase is bounded in time and count. Writes
 * bench/results/&lt;date&gt;.md and .json.
 */
public final class RunAll {

    static final String SERVICE_ID = "87654321";

    private final Options options;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final Path work;
    private final String apiSecret;
    private final SeedSealer sealer;
    private final TokenSet tokens;
    private final BenchDatabase db;

    private RunAll(Options options) throws IOException {
        this.options = options;
        this.work = Files.createTempDirectory("kagi-bench-");
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.apiSecret = java.util.HexFormat.of().formatHex(secret);
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.sealer = new SeedSealer("bench-1", key);
        byte[] master = new byte[32];
        random.nextBytes(master);
        this.tokens = new TokenSet(master, options.tokens);
        this.db = new BenchDatabase(options.dbHost, options.dbPort, options.dbUser, options.dbName);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        new RunAll(options).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        results.put("machine", machine());
        System.out.println("Kagi benchmarks: " + results.get("machine"));
        System.out.println("work folder " + work);
        // Run a copy, so that a rebuild of the server during the run cannot change the jar under the nodes.
        Path copy = work.resolve("kagi-server.jar");
        Files.copy(options.jar, copy);
        options.jar = copy;
        if (options.compareJar != null) {
            Path compareCopy = work.resolve("kagi-server-compared.jar");
            Files.copy(options.compareJar, compareCopy);
            options.compareJar = compareCopy;
        }
        try {
            if (options.wants("verify") || options.wants("nodes") || options.wants("login")) {
                onFreshDatabase(this::databasePhases);
            }
            if (options.wants("sessions")) {
                onFreshDatabase(() -> results.put("sessionStores", new SessionStoreComparison(this).run()));
            }
            if (options.wants("verify-pair")) {
                onFreshDatabase(() -> results.put("verifyPair", new VerifyComparison(this).run()));
            }
            if (options.wants("keycloak")) {
                results.put("keycloak", new KeycloakComparison(this).run());
            }
            if (options.wants("login")) {
                results.put("bcrypt", LoginLoad.bcryptRates(options.quick ? 1 : 3));
            }
            if (options.wants("startup")) {
                startupPhase();
            }
        } finally {
            results.put("notes", notes);
            results.put("totalSeconds", (System.nanoTime() - started) / 1e9);
            write();
        }
    }

    private interface Phases {
        void run() throws Exception;
    }

    /** Runs {@code phases} on the benchmark database made anew, dropped afterwards unless {@code --keep-db}. */
    private void onFreshDatabase(Phases phases) throws Exception {
        db.recreate();
        try {
            phases.run();
        } finally {
            if (!options.keepDb) {
                db.drop();
            }
        }
    }

    private void databasePhases() throws Exception {
        try (ServerNode node = startProduction("node-1", options.nodePoolSize, Map.of())) {
            results.put("productionStartupMillisEmptyDatabase", node.startupMillis());
            System.out.printf("production node up in %d ms (PostgreSQL, migrations on an empty database)%n", node.startupMillis());
            long serviceFk = db.insertService(SERVICE_ID, apiSecret);
            long idBase = db.nextIdBase();
            if (options.wants("verify")) {
                // One node stays up and warm through every verify phase: large table, pgbench beside
                // it (the node idle), three nodes, then the table cut down to the small size.
                VerifyLoad load = new VerifyLoad(tokens, SERVICE_ID, apiSecret);
                largeVerifyPhase(node, load, serviceFk, idBase);
                pgbenchPhase(idBase);
                if (options.wants("nodes")) {
                    nodesPhases(node, load);
                }
                smallVerifyPhase(node, load, idBase);
            }
        }
        if (options.wants("login")) {
            results.put("login", new LoginLoad(this).run());
        }
    }

    private void largeVerifyPhase(ServerNode node, VerifyLoad load, long serviceFk, long idBase) throws Exception {
        List<ServerNode> nodes = List.of(node);
        List<Integer> ports = List.of(node.port());
        long t0 = System.nanoTime();
        db.seedTokens(serviceFk, tokens, sealer, 0, options.tokens, idBase);
        db.execute("VACUUM ANALYZE");
        db.execute("CHECKPOINT");
        double seedSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("seeded %,d tokens in %.1f s%n", options.tokens, seedSeconds);
        results.put("seedSecondsLarge", seedSeconds);
        load.useTokens(options.tokens, 2);
        results.put("warmupSecondsOneNode", ClosedLoop.warmUntilSteady("warm-up", options.concurrency,
                i -> load.worker(i, ports), Duration.ofSeconds(options.warmupSeconds),
                Duration.ofSeconds(options.warmupMaxSeconds), nodes, db));
        ClosedLoop.Result large = ClosedLoop.run("verify, " + options.tokens + " tokens", options.concurrency,
                i -> load.worker(i, ports), Duration.ZERO, Duration.ofSeconds(options.seconds), Long.MAX_VALUE, nodes, db);
        results.put("verifyLarge", withTokens(large, options.tokens));
        results.put("rssUnderVerifyLoadKiB", large.peakRssKiB());
    }

    /**
     * The same node, the table cut down to the first {@code smallTokens} tokens (deleted, then
     * VACUUM FULL: a small table and small indexes, not a big one with holes), their steps reset.
     * Each token gives two fresh codes (this step's and the next), so the phase is bounded by count.
     */
    private void smallVerifyPhase(ServerNode node, VerifyLoad load, long idBase) throws Exception {
        List<ServerNode> nodes = List.of(node);
        List<Integer> ports = List.of(node.port());
        int small = Math.min(options.smallTokens, options.tokens);
        db.execute("DELETE FROM authority_token WHERE id >= " + (idBase + small));
        db.execute("UPDATE authority_token SET last_accepted_step = NULL, consecutive_failures = 0");
        db.execute("VACUUM FULL ANALYZE authority_token");
        tokens.forgetSteps();
        load.useTokens(small, 1);
        System.out.printf("table cut down to %,d tokens (%d rows)%n", small, db.queryLong("SELECT count(*) FROM authority_token"));
        ClosedLoop.run("warm-up", options.concurrency, i -> load.worker(i, ports), Duration.ZERO,
                Duration.ofSeconds(2), small / 2, nodes, db);
        ClosedLoop.Result result = ClosedLoop.run("verify, " + small + " tokens", options.concurrency,
                i -> load.worker(i, ports), Duration.ZERO, Duration.ofSeconds(options.seconds), small, nodes, db);
        results.put("verifySmall", withTokens(result, small));
        results.put("peakRssKiB", node.peakRssKiB());
        results.put("auditEventsWritten", db.queryLong("SELECT count(*) FROM audit_event"));
    }

    private void pgbenchPhase(long idBase) throws Exception {
        int clients = options.pgbenchClients;
        int busy = db.serverConnections();
        int max = (int) db.queryLong("SELECT current_setting('max_connections')::int");
        if (busy + clients > max - 15) {
            int fewer = Math.max(8, max - 15 - busy);
            notes.add("pgbench ran with " + fewer + " clients instead of " + clients + ": " + busy
                    + " connections of " + max + " were in use by others");
            clients = fewer;
        }
        Pgbench.Result result = Pgbench.run(db, idBase, idBase + options.tokens - 1, clients, options.pgbenchSeconds, work);
        results.put("pgbench", result.toMap());
        db.execute("UPDATE authority_token SET last_accepted_step = NULL WHERE last_accepted_step >= 1000000000000");
        db.execute("VACUUM ANALYZE authority_token");
    }

    /** The warm node and two more, round-robin; then the replay storm. */
    private void nodesPhases(ServerNode first, VerifyLoad load) throws Exception {
        List<ServerNode> more = new ArrayList<>();
        try {
            for (int i = 2; i <= 3; i++) {
                more.add(startProduction("node-" + i, options.nodePoolSize, Map.of()));
            }
            List<ServerNode> nodes = new ArrayList<>(List.of(first));
            nodes.addAll(more);
            List<Integer> ports = nodes.stream().map(ServerNode::port).toList();
            results.put("warmupSecondsThreeNodes", ClosedLoop.warmUntilSteady("warm-up", options.concurrency,
                    i -> load.worker(i, ports), Duration.ofSeconds(options.warmupSeconds),
                    Duration.ofSeconds(options.warmupMaxSeconds), nodes, db));
            ClosedLoop.Result three = ClosedLoop.run("verify, three nodes round-robin", options.concurrency,
                    i -> load.worker(i, ports), Duration.ZERO, Duration.ofSeconds(options.seconds), Long.MAX_VALUE, nodes, db);
            results.put("verifyThreeNodes", three.toMap());
            VerifyLoad.StormResult storm = load.replayStorm(options.stormTokens, ports, 8);
            System.out.printf("  replay storm: %d tokens × %d nodes: exactly one accepted %d, none %d, more %d; statuses %s%n",
                    storm.tokens(), storm.nodes(), storm.exactlyOne(), storm.none(), storm.moreThanOne(), storm.statuses());
            results.put("replayStorm", storm.toMap());
        } finally {
            more.forEach(ServerNode::close);
        }
    }

    private void startupPhase() throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        results.put("startupEmbedded", runs);
        Path folder = Files.createDirectories(work.resolve("embedded"));
        for (int i = 0; i < options.startupRuns * 2; i++) {
            boolean fresh = i < options.startupRuns;
            if (fresh) {
                deleteTree(folder.resolve("data"));
            }
            int port = freePort();
            int management = freePort();
            try (ServerNode node = ServerNode.start(options.java, options.jar, options.embeddedJvmOptions, Map.of(),
                    List.of("--server.port=" + port, "--management.server.port=" + management, "--kagi.app.port=0"), folder, port,
                    work.resolve("embedded-" + i + ".log"), 120)) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("dataDir", fresh ? "fresh" : "warm");
                run.put("millis", node.startupMillis());
                run.put("rssKiBAfterStart", node.rssKiB());
                runs.add(run);
                System.out.printf("  embedded start-up (%s data dir): %d ms, RSS %d MiB%n", run.get("dataDir"),
                        node.startupMillis(), node.rssKiB() / 1024);
            }
        }
        startupWithCds(folder);
    }

    /**
     * The same start from the jar extracted the way the README's production section does it
     * ({@code -Djarmode=tools extract}), with a class-data-sharing archive made by one training run
     * that stops after the context refresh: the start-up a deployment gets for two commands more.
     * With a JDK 25 beside the default one ({@code --aot-java}), the same again with its
     * ahead-of-time cache (JEP 483/514), which also keeps classes linked and method profiles.
     */
    private void startupWithCds(Path folder) throws Exception {
        Path extracted = work.resolve("extracted");
        run(List.of(options.java, "-Djarmode=tools", "-jar", options.jar.toAbsolutePath().toString(), "extract",
                "--destination", extracted.toString()), work, work.resolve("extract.log"));
        Path archive = work.resolve("kagi.jsa");
        startupTrained(folder, extracted, options.java, "-XX:ArchiveClassesAtExit=" + archive,
                "-XX:SharedArchiveFile=" + archive, "startupExtractedCds", "extracted jar + CDS");
        if (options.aotJava.isBlank() || !Files.isExecutable(Paths.get(options.aotJava))) {
            System.out.println("  no JDK 25 for the AOT cache start-up (--aot-java=" + options.aotJava + "): skipped");
            return;
        }
        Path cache = work.resolve("kagi.aot");
        startupTrained(folder, extracted, options.aotJava, "-XX:AOTCacheOutput=" + cache, "-XX:AOTCache=" + cache,
                "startupExtractedAot", "extracted jar + JDK 25 AOT cache");
    }

    private void startupTrained(Path folder, Path extracted, String java, String trainingOption, String runOption,
            String key, String label) throws Exception {
        Path jar = extracted.resolve(options.jar.getFileName());
        deleteTree(folder.resolve("data"));
        run(List.of(java, trainingOption, "-Dspring.context.exit=onRefresh", "-jar", jar.toString(),
                "--server.port=" + freePort(), "--management.server.port=" + freePort(), "--kagi.app.port=0"), folder,
                work.resolve(key + "-training.log"));
        List<Map<String, Object>> runs = new ArrayList<>();
        results.put(key, runs);
        List<String> jvm = new ArrayList<>(options.embeddedJvmOptions);
        jvm.add(runOption);
        for (int i = 0; i < options.startupRuns; i++) {
            deleteTree(folder.resolve("data"));
            int port = freePort();
            try (ServerNode node = ServerNode.start(java, jar, jvm, Map.of(),
                    List.of("--server.port=" + port, "--management.server.port=" + freePort(), "--kagi.app.port=0"), folder, port,
                    work.resolve(key + "-" + i + ".log"), 120)) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("dataDir", "fresh");
                run.put("java", java);
                run.put("millis", node.startupMillis());
                run.put("rssKiBAfterStart", node.rssKiB());
                runs.add(run);
                System.out.printf("  %s start-up (fresh data dir): %d ms, RSS %d MiB%n", label,
                        node.startupMillis(), node.rssKiB() / 1024);
            }
        }
    }

    private static void run(List<String> command, Path directory, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    ServerNode startProduction(String name, int poolSize, Map<String, String> extraEnv) throws IOException, InterruptedException {
        return startProduction(name, poolSize, extraEnv, options.nodeJvmOptions);
    }

    ServerNode startProduction(String name, int poolSize, Map<String, String> extraEnv, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return startProduction(name, poolSize, extraEnv, jvmOptions, options.jar);
    }

    ServerNode startProduction(String name, int poolSize, Map<String, String> extraEnv, List<String> jvmOptions, Path jar)
            throws IOException, InterruptedException {
        int port = freePort();
        Path dir = Files.createDirectories(work.resolve(name + "-" + port));
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "production");
        env.put("KAGI_DB_URL", db.jdbcUrl());
        env.put("KAGI_DB_USER", db.user());
        env.put("KAGI_DB_PASSWORD", "");
        if (poolSize > 0) {
            env.put("KAGI_DB_POOL_SIZE", Integer.toString(poolSize));
        }
        env.put("KAGI_SMTP_HOST", "127.0.0.1");
        env.put("KAGI_SMTP_PORT", Integer.toString(freePort()));
        env.put("KAGI_SMTP_AUTH", "false");
        env.put("KAGI_SMTP_STARTTLS", "false");
        env.put("KAGI_MAIL_FROM", "bench@kagi.invalid");
        env.put("KAGI_KEYS_RING", sealer.ringEntry());
        env.put("KAGI_KEYS_ACTIVE", sealer.keyId());
        env.put("KAGI_BANK_NAME", "ベンチ銀行");
        env.put("KAGI_SUPPORT_PHONE", "0120-000-000");
        env.put("KAGI_SUPPORT_HOURS", "9:00-17:00");
        env.put("KAGI_PUBLIC_URL", "http://127.0.0.1:" + port);
        env.put("KAGI_BIZWEB_SERVICE_ID", "12345678");
        env.put("KAGI_BIZWEB_SERVICE_NAME", "ベンチ銀行ビジネスWeb");
        env.put("KAGI_PORT", Integer.toString(port));
        env.put("KAGI_APP_PORT", "0");
        env.put("KAGI_MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put("KAGI_DATA_DIR", dir.toString());
        env.putAll(extraEnv);
        return ServerNode.start(options.java, jar, jvmOptions, env, List.of(), dir, port,
                dir.resolve("server.log"), 120);
    }

    BenchDatabase db() {
        return db;
    }

    String apiSecret() {
        return apiSecret;
    }

    TokenSet tokens() {
        return tokens;
    }

    SeedSealer sealer() {
        return sealer;
    }

    Path work() {
        return work;
    }

    Options options() {
        return options;
    }

    List<String> notes() {
        return notes;
    }

    private static Map<String, Object> withTokens(ClosedLoop.Result result, int tokens) {
        Map<String, Object> map = result.toMap();
        map.put("tokensInTable", tokens);
        return map;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Map<String, Object> machine() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("[^0-9]", "")).orElse("0");
        machine.put("date", OffsetDateTime.now().toString());
        machine.put("cpu", model);
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryGiB", Math.round(Long.parseLong(memory) / 1024.0 / 1024.0));
        machine.put("driverJdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("serverJava", options.java);
        machine.put("nodeJvmOptions", String.join(" ", options.nodeJvmOptions));
        machine.put("loadAverage1mAtStart", ProcStats.loadAverage());
        machine.put("quick", options.quick);
        return machine;
    }

    private void write() throws IOException {
        Files.createDirectories(options.out);
        String stem = LocalDate.now() + (options.only.isEmpty() ? "" : "-" + String.join("-", options.only)) + (options.quick ? "-quick" : "");
        Path json = options.out.resolve(stem + ".json");
        Files.writeString(json, Json.write(results));
        Path markdown = options.out.resolve(stem + ".md");
        Files.writeString(markdown, Report.markdown(results));
        System.out.println("Results: " + markdown + " and " + json);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Command-line options; {@code --quick} makes a bounded smoke run of a couple of minutes. */
    static final class Options {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Paths.get("server/target/kagi-server.jar");
        /** A second server jar for {@code --only=sessions} and {@code --only=verify-pair}, measured in turns with {@link #jar}. */
        Path compareJar;
        int rounds = 3;
        Path out = Paths.get("bench/results");
        String dbHost = "127.0.0.1";
        int dbPort = 5432;
        String dbUser = "postgres";
        String dbName = "kagi_bench";
        int tokens = 1_000_000;
        int smallTokens = 10_000;
        int concurrency = 64;
        /** The shortest warm-up; it goes on until the rate settles, at most {@link #warmupMaxSeconds}. */
        int warmupSeconds = 30;
        int warmupMaxSeconds = 300;
        int seconds = 20;
        int pgbenchClients = 64;
        int pgbenchSeconds = 20;
        /** 0: the node's own default (four request threads a core, two connections more). */
        int nodePoolSize = 0;
        int stormTokens = 1000;
        int startupRuns = 3;
        int loginUsers = 16;
        int loginAccounts = 60_000;
        int loginSeconds = 20;
        boolean quick;
        boolean keepDb;
        List<String> only = List.of();
        /** The JVM options documented for a node (README, Benchmarks): a 256 MiB heap keeps it well under 512 MiB resident. */
        List<String> nodeJvmOptions = List.of("-Xmx256m");
        List<String> embeddedJvmOptions = List.of();
        /** A JDK 25 for the AOT-cache start-up; blank or missing skips that phase. */
        String aotJava = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
        /** The unpacked org.keycloak:keycloak-quarkus-dist (bench/run-all.sh fetches it into bench/target/keycloak). */
        Path keycloakHome;
        /** Keycloak 26 needs Java 21 or later: Temurin 25. */
        String keycloakJava = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
        /** Keycloak's cache: {@code ispn} (production mode's default, a cluster of one here) or {@code local}. */
        String keycloakCache = "ispn";
        /** PBKDF2-SHA256 iterations for Keycloak in the equal-cost setting; 0: the count whose measured cost is bcrypt 4's. */
        int pbkdf2Iterations;
        /** The settings compared: {@code equal}, {@code default} (both when empty). */
        List<String> keycloakSettings = List.of();

        /**
         * Every phase but {@code sessions}, which runs only when named, and {@code keycloak}, which
         * runs in a full run when {@code --keycloak-home} names the unpacked distribution (run-all.sh does).
         */
        boolean wants(String phase) {
            if (only.isEmpty()) {
                return phase.equals("keycloak") ? keycloakHome != null : !phase.equals("sessions") && !phase.equals("verify-pair");
            }
            return only.contains(phase);
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                String value = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "--quick" -> {
                        o.quick = true;
                        o.tokens = 100_000;
                        o.warmupSeconds = 10;
                        o.warmupMaxSeconds = 30;
                        o.seconds = 6;
                        o.pgbenchSeconds = 6;
                        o.loginSeconds = 6;
                        o.stormTokens = 100;
                        o.startupRuns = 1;
                        o.loginAccounts = 10_000;
                    }
                    case "--java" -> o.java = value;
                    case "--jar" -> o.jar = Paths.get(value);
                    case "--out" -> o.out = Paths.get(value);
                    case "--db-host" -> o.dbHost = value;
                    case "--db-port" -> o.dbPort = Integer.parseInt(value);
                    case "--db-user" -> o.dbUser = value;
                    case "--db-name" -> o.dbName = value;
                    case "--tokens" -> o.tokens = Integer.parseInt(value);
                    case "--small-tokens" -> o.smallTokens = Integer.parseInt(value);
                    case "--concurrency" -> o.concurrency = Integer.parseInt(value);
                    case "--warmup" -> o.warmupSeconds = Integer.parseInt(value);
                    case "--warmup-max" -> o.warmupMaxSeconds = Integer.parseInt(value);
                    case "--seconds" -> o.seconds = Integer.parseInt(value);
                    case "--pgbench-clients" -> o.pgbenchClients = Integer.parseInt(value);
                    case "--pgbench-seconds" -> o.pgbenchSeconds = Integer.parseInt(value);
                    case "--node-pool" -> o.nodePoolSize = Integer.parseInt(value);
                    case "--storm-tokens" -> o.stormTokens = Integer.parseInt(value);
                    case "--startup-runs" -> o.startupRuns = Integer.parseInt(value);
                    case "--login-users" -> o.loginUsers = Integer.parseInt(value);
                    case "--login-seconds" -> o.loginSeconds = Integer.parseInt(value);
                    case "--login-accounts" -> o.loginAccounts = Integer.parseInt(value);
                    case "--compare-jar" -> o.compareJar = Paths.get(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--keep-db" -> o.keepDb = true;
                    case "--only" -> o.only = Arrays.asList(value.split(","));
                    case "--node-jvm" -> o.nodeJvmOptions = value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                    case "--aot-java" -> o.aotJava = value;
                    case "--keycloak-home" -> o.keycloakHome = Paths.get(value);
                    case "--keycloak-java" -> o.keycloakJava = value;
                    case "--keycloak-cache" -> o.keycloakCache = value;
                    case "--keycloak-settings" -> o.keycloakSettings = Arrays.asList(value.split(","));
                    case "--pbkdf2-iterations" -> o.pbkdf2Iterations = Integer.parseInt(value);
                    case "--embedded-jvm" -> o.embeddedJvmOptions = value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("Unknown option " + arg + " (see bench/README.md)");
                }
            }
            o.warmupMaxSeconds = Math.max(o.warmupMaxSeconds, o.warmupSeconds);
            if (o.tokens > 1_000_000 || o.smallTokens > o.tokens) {
                throw new IllegalArgumentException("--tokens at most 1000000 and not below --small-tokens");
            }
            return o;
        }

        /** The second jar of a two-jar phase ({@code --only=sessions}, {@code --only=verify-pair}). */
        Path requireCompareJar(String phase) {
            if (compareJar == null) {
                throw new IllegalArgumentException("--only=" + phase + " needs --compare-jar=PATH (see bench/README.md)");
            }
            return compareJar;
        }
    }
}
