package io.kagi.bench.load;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The driver of the database failover test (deploy/failover-test.sh, issue 22): against Kagi nodes
 * behind HAProxy on a Patroni pair, it runs GreenMail as the nodes' SMTP server, seeds tokens and
 * portal users, drives verifications, full portal logins and token issuances (one mail each) at a
 * steady rate, runs the kill command (SIGKILL to the primary) in the middle and goes on until the
 * end of the run; then it retries each refused verification once with its own code, replays the
 * codes accepted around the kill, checks every portal session, waits for the outbox to drain and
 * compares what it recorded with the database and with the mails received.
 *
 * <p>Asserted (exit status 1 when one fails): no code accepted twice; every accepted code is still
 * accepted afterwards (the token's last accepted step is at least the code's); every failed request
 * was answered 503 with {@code Retry-After} (a problem under {@code /api/}), never a 500, never an
 * I/O error, never later than the request time-out; every outbox mail delivered exactly once and
 * every issued token's mail received; every portal session still reaches the top page; the rate
 * back within {@code --recovery-max} seconds of the kill. Loopback only; every loop bounded.
 */
public final class Failover {

    static final String SERVICE_ID = "87654321";
    private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");

    enum Kind { VERIFY, LOGIN, ISSUE, VERIFY_RETRY, VERIFY_REPLAY, SESSION_CHECK }

    /** One HTTP request as the driver saw it; {@code status} -1 an I/O error, -2 no answer within the time-out. */
    record Request(Kind kind, String path, long start, long end, int status, boolean retryAfter, String contentType,
                   int token, long step) {

        boolean failed() {
            return status < 0 || status >= 500;
        }

        double millis() {
            return (end - start) / 1e6;
        }
    }

    /** A completed portal login: its cookies, kept to check the session survives. */
    record Session(String loginId, Map<String, String> cookies, long at) {
    }

    private final Options options;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Session> sessions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> issuedAddresses = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> refusedIssuances = new ConcurrentLinkedQueue<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final TokenSet verifyTokens;
    private final TokenSet portalTokens;
    private final BenchDatabase db;
    private final String apiSecret;
    private final String authorization;
    private final AtomicLong tokenCursor = new AtomicLong();
    private final AtomicLong userCursor = new AtomicLong();
    private final AtomicInteger issueCounter = new AtomicInteger();
    private volatile long killedAt = Long.MAX_VALUE;
    private volatile long loadStartedAt = Long.MAX_VALUE;
    private volatile long stopAt = Long.MAX_VALUE;
    private volatile boolean running = true;

    private Failover(Options options) {
        this.options = options;
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] master = new byte[32];
        random.nextBytes(master);
        this.verifyTokens = new TokenSet(master, options.tokens);
        byte[] portalMaster = new byte[32];
        random.nextBytes(portalMaster);
        this.portalTokens = new TokenSet(portalMaster, options.portalUsers);
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        this.apiSecret = java.util.HexFormat.of().formatHex(secret);
        this.authorization = "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((SERVICE_ID + ":" + apiSecret).getBytes(StandardCharsets.UTF_8));
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)").matcher(options.db);
        if (!url.matches()) {
            throw new IllegalArgumentException("--db=jdbc:postgresql://host:port/name");
        }
        this.db = new BenchDatabase(url.group(1), Integer.parseInt(url.group(2)), "postgres", url.group(3));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (!options.kagiHost.equals("127.0.0.1") && !options.kagiHost.equals("localhost")) {
            throw new IllegalArgumentException("loopback only: --kagi must be on 127.0.0.1");
        }
        int failures = new Failover(options).run();
        System.exit(failures == 0 ? 0 : 1);
    }

    private int run() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(options.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            provision();
            drive();
            afterTheRun();
            checkMails(smtp);
        } finally {
            running = false;
            smtp.stop();
        }
        report();
        return problems.size();
    }

    // --- provisioning --------------------------------------------------------------------------------

    private void provision() throws Exception {
        long t0 = System.nanoTime();
        SeedSealer sealer = new SeedSealer(options.keyId, Base64.getDecoder().decode(options.key));
        long serviceFk = db.insertService(SERVICE_ID, apiSecret);
        db.seedTokens(serviceFk, verifyTokens, sealer, 0, options.tokens, db.nextIdBase());
        long company = LoginLoad.seedPortalUsers(db, sealer, options.portalUsers, portalTokens);
        db.execute("UPDATE bizweb_user SET password_hash = '{bcrypt}" + new BCryptPasswordEncoder(4).encode(LoginLoad.PASSWORD)
                + "' WHERE company_id = " + company);
        db.execute("VACUUM ANALYZE");
        System.out.printf("seeded %,d tokens and %,d portal users in %.1f s%n", options.tokens, options.portalUsers,
                (System.nanoTime() - t0) / 1e9);
    }

    // --- the load ------------------------------------------------------------------------------------

    private void drive() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.verifyThreads; i++) {
            threads.add(paced("verify-" + i, options.verifyRate / options.verifyThreads, this::verifyOnce));
        }
        for (int i = 0; i < options.loginThreads; i++) {
            threads.add(paced("login-" + i, options.loginRate / options.loginThreads, this::loginOnce));
        }
        threads.add(paced("issue", options.issueRate, this::issueOnce));
        Thread primaryWatcher = new Thread(() -> watch(true), "watch-primary");
        Thread readinessWatcher = new Thread(() -> watch(false), "watch-readiness");
        primaryWatcher.setDaemon(true);
        readinessWatcher.setDaemon(true);
        threads.forEach(Thread::start);
        primaryWatcher.start();
        readinessWatcher.start();
        System.out.printf("load: %.0f verifications/s, %.1f logins/s (5 requests each), %.1f issuances/s through %s%n",
                options.verifyRate, options.loginRate, options.issueRate, options.kagi);
        // Warm-up: at least --warmup seconds and until a few portal logins went through (a cold node on
        // two busy cores takes a while for its first pages), at most --warmup-max seconds.
        long warmupStart = System.nanoTime();
        while (true) {
            double elapsed = (System.nanoTime() - warmupStart) / 1e9;
            if ((elapsed >= options.warmupSeconds && sessions.size() >= 3) || elapsed >= options.warmupMaxSeconds) {
                System.out.printf("warmed up in %.0f s (%d portal logins)%n", elapsed, sessions.size());
                break;
            }
            Thread.sleep(500);
        }
        loadStartedAt = System.nanoTime();
        sleepSeconds(options.beforeKillSeconds);
        killedAt = System.nanoTime();
        stopAt = killedAt + TimeUnit.SECONDS.toNanos(options.afterKillSeconds);
        Process kill = new ProcessBuilder("bash", options.kill).redirectErrorStream(true).start();
        boolean finished = kill.waitFor(20, TimeUnit.SECONDS);
        String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        System.out.printf("t=0: %s%n", said);
        if (!finished || kill.exitValue() != 0) {
            problems.add("the kill command failed: " + said);
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.NANOSECONDS.toMillis(stopAt - System.nanoTime()) + options.requestTimeoutMillis + 5_000);
            if (thread.isAlive()) {
                problems.add("load thread " + thread.getName() + " did not stop in time");
            }
        }
        running = false;
    }

    @FunctionalInterface
    private interface Operation {
        void run(MiniHttp http) throws Exception;
    }

    /** A thread doing {@code operation} {@code perSecond} times a second until the load stops (no catching up after a stall). */
    private Thread paced(String name, double perSecond, Operation operation) {
        long period = (long) (1e9 / perSecond);
        Thread thread = new Thread(() -> {
            MiniHttp http = new MiniHttp(options.kagiHost, options.kagiPort, options.requestTimeoutMillis);
            long next = System.nanoTime() + (long) (Math.random() * period);
            try {
                while (true) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (System.nanoTime() >= stopAt) {
                        return;
                    }
                    try {
                        operation.run(http);
                    } catch (Exception e) {
                        synchronized (problems) {
                            if (problems.stream().noneMatch(p -> p.startsWith("driver error"))) {
                                problems.add("driver error in " + name + ": " + e);
                            }
                        }
                    }
                    next = Math.max(next + period, System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                http.close();
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Sends one request and records it; null when it got no answer. */
    private MiniHttp.Response send(MiniHttp http, Kind kind, String method, String path, List<String> headers, byte[] body,
                                   int token, long step) {
        long start = System.nanoTime();
        int status;
        MiniHttp.Response response = null;
        try {
            response = http.exchange(method, path, headers, body);
            status = response.status();
        } catch (SocketTimeoutException e) {
            status = -2;
            http.close();
        } catch (IOException e) {
            status = -1;
            http.close();
        }
        long end = System.nanoTime();
        requests.add(new Request(kind, path.replaceAll("/accounts/[^/]+/", "/accounts/{account}/"), start, end, status,
                response != null && response.header("retry-after") != null,
                response == null ? null : response.header("content-type"), token, step));
        return response;
    }

    private List<String> apiHeaders() {
        return List.of(authorization, "Content-Type: application/json", "Accept: application/json");
    }

    private static String verifyPath(int token) {
        return "/api/v1/services/" + SERVICE_ID + "/accounts/" + TokenSet.accountRef(token) + "/token/verify";
    }

    private static byte[] codeBody(String code) {
        return ("{\"code\":\"" + code + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    private void verifyOnce(MiniHttp http) {
        for (int tries = 0; tries < options.tokens; tries++) {
            int token = (int) (Math.floorMod(tokenCursor.getAndIncrement() * 7919L, options.tokens));
            long step = verifyTokens.freshStep(token, Instant.now());
            if (step >= 0) {
                send(http, Kind.VERIFY, "POST", verifyPath(token), apiHeaders(), codeBody(verifyTokens.code(token, step)),
                        token, step);
                return;
            }
        }
    }

    private void issueOnce(MiniHttp http) {
        int n = issueCounter.incrementAndGet();
        String address = "issued" + n + "@failover.invalid";
        byte[] body = ("{\"mailAddress\":\"" + address + "\",\"activationPassword\":\"4649\"}").getBytes(StandardCharsets.UTF_8);
        MiniHttp.Response response = send(http, Kind.ISSUE, "POST",
                "/api/v1/services/" + SERVICE_ID + "/accounts/m" + n + "/token", apiHeaders(), body, -1, -1);
        if (response != null && response.status() == 201) {
            issuedAddresses.add(address);
        } else {
            refusedIssuances.add(address);
        }
    }

    /** A full portal login as a browser does it; a step that fails ends the attempt (it is recorded). */
    private void loginOnce(MiniHttp http) {
        int user = -1;
        long step = -1;
        for (int tries = 0; tries < options.portalUsers && step < 0; tries++) {
            user = (int) (userCursor.getAndIncrement() % options.portalUsers);
            step = portalTokens.freshStep(user, Instant.now());
        }
        if (step < 0) {
            return;
        }
        String loginId = LoginLoad.loginId(user);
        Map<String, String> cookies = new LinkedHashMap<>();
        MiniHttp.Response page = send(http, Kind.LOGIN, "GET", "/bizweb/login", LoginLoad.headers(cookies), null, user, step);
        if (page == null || page.status() != 200) {
            return;
        }
        LoginLoad.remember(page, cookies);
        String csrf = LoginLoad.find(LoginLoad.CSRF, page, "login page");
        MiniHttp.Response afterPassword = send(http, Kind.LOGIN, "POST", "/bizweb/login", LoginLoad.formHeaders(cookies),
                LoginLoad.form("loginId", loginId, "password", LoginLoad.PASSWORD, "_csrf", csrf), user, step);
        if (!redirectedTo(afterPassword, "/bizweb/otp")) {
            return;
        }
        LoginLoad.remember(afterPassword, cookies);
        MiniHttp.Response otpPage = send(http, Kind.LOGIN, "GET", "/bizweb/otp", LoginLoad.headers(cookies), null, user, step);
        if (otpPage == null || otpPage.status() != 200) {
            return;
        }
        LoginLoad.remember(otpPage, cookies);
        String otpCsrf = LoginLoad.find(LoginLoad.CSRF, otpPage, "OTP page");
        String transaction = LoginLoad.find(LoginLoad.TRANSACTION, otpPage, "OTP page");
        if (otpCsrf == null || transaction == null) {
            unexpected("the OTP page without its form", otpPage);
            return;
        }
        MiniHttp.Response afterOtp = send(http, Kind.LOGIN, "POST", "/bizweb/otp", LoginLoad.formHeaders(cookies),
                LoginLoad.form("otp", portalTokens.code(user, step), "transactionToken", transaction, "_csrf", otpCsrf),
                user, step);
        if (!redirectedTo(afterOtp, "/bizweb/top")) {
            return;
        }
        LoginLoad.remember(afterOtp, cookies);
        MiniHttp.Response top = send(http, Kind.LOGIN, "GET", "/bizweb/top", LoginLoad.headers(cookies), null, user, step);
        if (top != null && top.status() == 200 && top.text().contains("BTOP001")) {
            sessions.add(new Session(loginId, Map.copyOf(cookies), System.nanoTime()));
        } else if (top != null && top.status() < 500) {
            unexpected("the top page after the OTP", top);
        }
    }

    /** Whether the answer is the redirect a login expects; anything but a 5xx or no answer is noted as unexpected. */
    private boolean redirectedTo(MiniHttp.Response response, String location) {
        if (response == null || response.status() >= 500) {
            return false;
        }
        if (response.status() == 302 && String.valueOf(response.header("location")).endsWith(location)) {
            return true;
        }
        unexpected("a redirect to " + location, response);
        return false;
    }

    private final ConcurrentLinkedQueue<Event> unexpected = new ConcurrentLinkedQueue<>();

    private void unexpected(String expected, MiniHttp.Response response) {
        if (unexpected.size() < 20) {
            unexpected.add(new Event(System.nanoTime(), String.format("expected %s, got %d %s", expected,
                    response.status(), response.header("location") == null ? "" : "→ " + response.header("location"))));
        }
    }

    private List<String> lines(ConcurrentLinkedQueue<Event> events) {
        return events.stream().map(event -> String.format("t=%+.2f %s", seconds(event.at()), event.what())).toList();
    }

    // --- what Patroni and the nodes' readiness said, every 250 ms ------------------------------------

    /** What the watcher saw change, with when (System.nanoTime). */
    private record Event(long at, String what) {
    }

    private final ConcurrentLinkedQueue<Event> timeline = new ConcurrentLinkedQueue<>();

    /** Notes each change of which member Patroni calls primary, or of the nodes' readiness answers. */
    private void watch(boolean primaryMembers) {
        String last = null;
        while (running) {
            StringBuilder now = new StringBuilder(primaryMembers ? "primary " : "readiness ");
            if (primaryMembers) {
                int found = 0;
                for (int i = 0; i < options.patroniPorts.size(); i++) {
                    if (httpStatus(options.patroniPorts.get(i), "/primary") == 200) {
                        now.append(found++ == 0 ? "" : "+").append("pg").append(i + 1);
                    }
                }
                if (found == 0) {
                    now.append("none");
                }
            } else {
                for (int i = 0; i < options.readinessPorts.size(); i++) {
                    now.append(i == 0 ? "" : " ").append("kagi").append(i + 1).append('=')
                            .append(httpStatus(options.readinessPorts.get(i), "/actuator/health/readiness"));
                }
            }
            if (!now.toString().equals(last)) {
                timeline.add(new Event(System.nanoTime(), now.toString()));
                last = now.toString();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int httpStatus(int port, String path) {
        try (MiniHttp http = new MiniHttp("127.0.0.1", port, 3_000)) {
            return http.exchange("GET", path, List.of("Connection: close"), null).status();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Seconds since the kill (negative before it). */
    private double seconds(long nanos) {
        long reference = killedAt == Long.MAX_VALUE ? System.nanoTime() : killedAt;
        return (nanos - reference) / 1e9;
    }

    // --- after the run -------------------------------------------------------------------------------

    private void afterTheRun() throws Exception {
        try (MiniHttp http = new MiniHttp(options.kagiHost, options.kagiPort, options.requestTimeoutMillis)) {
            // A client retries a refused verification with the same code (a careless one; Kagi asks
            // for a fresh code): at most one of the two may be accepted.
            List<Request> refused = requests.stream().filter(r -> r.kind() == Kind.VERIFY && r.failed()).toList();
            long currentStep = TokenSet.TOTP.stepAt(Instant.now());
            int retried = 0;
            for (Request r : refused) {
                if (Math.abs(r.step() - currentStep) <= 1) {
                    send(http, Kind.VERIFY_RETRY, "POST", verifyPath(r.token()), apiHeaders(),
                            codeBody(verifyTokens.code(r.token(), r.step())), r.token(), r.step());
                    retried++;
                }
            }
            // Every code accepted in the seconds around the kill is sent once more: it must be refused.
            long from = killedAt - TimeUnit.SECONDS.toNanos(options.replaySeconds);
            List<Request> accepted = requests.stream().filter(r -> r.kind() == Kind.VERIFY && r.status() == 200
                    && r.end() >= from && r.start() <= killedAt + TimeUnit.SECONDS.toNanos(options.replaySeconds)).toList();
            currentStep = TokenSet.TOTP.stepAt(Instant.now());
            int replayed = 0;
            for (Request r : accepted) {
                if (Math.abs(r.step() - currentStep) <= 1) {
                    send(http, Kind.VERIFY_REPLAY, "POST", verifyPath(r.token()), apiHeaders(),
                            codeBody(verifyTokens.code(r.token(), r.step())), r.token(), r.step());
                    replayed++;
                }
            }
            results.put("verificationsRetriedWithTheSameCode", retried);
            results.put("acceptedCodesReplayed", replayed);
            // Every portal session reaches the top page.
            int survived = 0;
            List<String> lost = new ArrayList<>();
            for (Session session : sessions) {
                MiniHttp.Response top = send(http, Kind.SESSION_CHECK, "GET", "/bizweb/top", LoginLoad.headers(session.cookies()),
                        null, -1, -1);
                if (top != null && top.status() == 200 && top.text().contains("BTOP001")) {
                    survived++;
                } else if (lost.size() < 5) {
                    lost.add(session.loginId() + " (logged in at t=" + String.format("%+.1f", seconds(session.at())) + " s): "
                            + (top == null ? "no answer" : top.status() + " " + top.header("location")));
                }
            }
            results.put("portalSessionsChecked", sessions.size());
            results.put("portalSessionsSurvived", survived);
            results.put("portalSessionsBeforeTheKill", sessions.stream().filter(s -> s.at() < killedAt).count());
            if (survived != sessions.size()) {
                problems.add((sessions.size() - survived) + " portal sessions lost, e.g. " + lost);
            }
            if (sessions.stream().noneMatch(s -> s.at() < killedAt)) {
                problems.add("no portal login completed before the kill: nothing shows that sessions survive");
            }
        }
        checkAcceptances();
    }

    private void checkAcceptances() throws Exception {
        Map<String, Integer> acceptedPerCode = new HashMap<>();
        for (Request r : requests) {
            if ((r.kind() == Kind.VERIFY || r.kind() == Kind.VERIFY_RETRY || r.kind() == Kind.VERIFY_REPLAY) && r.status() == 200) {
                acceptedPerCode.merge(r.token() + "@" + r.step(), 1, Integer::sum);
            }
        }
        long doubled = acceptedPerCode.values().stream().filter(count -> count > 1).count();
        Map<Integer, Long> lastAccepted = new HashMap<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT a.user_id, t.last_accepted_step FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                     JOIN authority_service s ON s.id = a.service_fk WHERE s.service_id = '%s'""".formatted(SERVICE_ID))) {
            while (rows.next()) {
                long step = rows.getLong(2);
                lastAccepted.put(Integer.parseInt(rows.getString(1)), rows.wasNull() ? Long.MIN_VALUE : step);
            }
        }
        long lost = 0;
        List<String> lostExamples = new ArrayList<>();
        for (Request r : requests) {
            if ((r.kind() == Kind.VERIFY || r.kind() == Kind.VERIFY_RETRY) && r.status() == 200
                    && lastAccepted.getOrDefault(r.token(), Long.MIN_VALUE) < r.step()) {
                lost++;
                if (lostExamples.size() < 5) {
                    lostExamples.add("token " + r.token() + " step " + r.step() + " accepted at t="
                            + String.format("%+.2f", seconds(r.end())));
                }
            }
        }
        // A verification answered 503 whose commit reached the standby anyway: its retry is refused.
        long inDoubtCommitted = 0;
        Set<String> retriedAccepted = new HashSet<>();
        for (Request r : requests) {
            if (r.kind() == Kind.VERIFY_RETRY && r.status() == 200) {
                retriedAccepted.add(r.token() + "@" + r.step());
            }
        }
        for (Request r : requests) {
            if (r.kind() == Kind.VERIFY_RETRY && r.status() == 422 && lastAccepted.getOrDefault(r.token(), Long.MIN_VALUE) >= r.step()) {
                inDoubtCommitted++;
            }
        }
        long replaysAccepted = requests.stream().filter(r -> r.kind() == Kind.VERIFY_REPLAY && r.status() == 200).count();
        results.put("acceptedVerifications", requests.stream().filter(r -> r.kind() == Kind.VERIFY && r.status() == 200).count());
        results.put("codesAcceptedTwice", doubled);
        results.put("acceptedVerificationsLost", lost);
        results.put("refusedVerificationsAcceptedOnRetry", retriedAccepted.size());
        results.put("refusedVerificationsCommittedAnyway", inDoubtCommitted);
        results.put("replaysAccepted", replaysAccepted);
        if (doubled > 0 || replaysAccepted > 0) {
            problems.add(doubled + " codes accepted twice (" + replaysAccepted + " replays accepted)");
        }
        if (lost > 0) {
            problems.add(lost + " accepted verifications lost, e.g. " + lostExamples);
        }
    }

    /** Waits for the outbox to drain, then compares the mails received with the outbox and the issuances. */
    private void checkMails(GreenMail smtp) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.mailDrainSeconds);
        long open;
        do {
            open = db.queryLong("SELECT count(*) FROM mail_outbox WHERE status IN ('PENDING', 'SENDING')");
            if (open > 0) {
                Thread.sleep(500);
            }
        } while (open > 0 && System.nanoTime() < deadline);
        Thread.sleep(1_000);
        Map<String, String> outbox = new HashMap<>();
        Map<String, String> statusOf = new HashMap<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, recipient, status, created_at FROM mail_outbox")) {
            while (rows.next()) {
                OffsetDateTime created = rows.getObject(4, OffsetDateTime.class);
                String id = "<kagi-mail." + rows.getLong(1) + "." + created.toInstant().toEpochMilli() + "@failover.invalid>";
                outbox.put(id, rows.getString(2));
                statusOf.put(id, rows.getString(3));
            }
        }
        Map<String, Integer> received = new HashMap<>();
        Map<String, Integer> perRecipient = new HashMap<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            received.merge(message.getMessageID(), 1, Integer::sum);
            for (var to : message.getAllRecipients()) {
                perRecipient.merge(to.toString(), 1, Integer::sum);
            }
        }
        long doubled = received.values().stream().filter(count -> count > 1).count();
        long lost = outbox.keySet().stream().filter(id -> !received.containsKey(id)).count();
        long unknown = received.keySet().stream().filter(id -> !outbox.containsKey(id)).count();
        long notSent = statusOf.values().stream().filter(status -> !status.equals("SENT")).count();
        long issuedWithoutMail = issuedAddresses.stream().filter(address -> !perRecipient.containsKey(address)).count();
        long refusedButMailed = refusedIssuances.stream().filter(perRecipient::containsKey).count();
        results.put("mailsInOutbox", outbox.size());
        results.put("mailsReceived", received.values().stream().mapToInt(Integer::intValue).sum());
        results.put("mailsSentTwice", doubled);
        results.put("mailsLost", lost);
        results.put("mailsNotMarkedSent", notSent);
        results.put("mailsUnknown", unknown);
        results.put("issuancesAccepted", issuedAddresses.size());
        results.put("issuancesWithoutMail", issuedWithoutMail);
        results.put("issuancesRefusedButCommitted", refusedButMailed);
        if (doubled > 0 || lost > 0 || unknown > 0 || notSent > 0 || issuedWithoutMail > 0) {
            problems.add("mails: " + doubled + " sent twice, " + lost + " lost, " + notSent + " not marked sent, " + unknown
                    + " unknown, " + issuedWithoutMail + " issued tokens without their mail");
        }
        if (outbox.isEmpty()) {
            problems.add("no mail was sent: nothing shows that mail survives");
        }
    }

    // --- figures -------------------------------------------------------------------------------------

    private void report() throws IOException {
        List<Request> load = requests.stream()
                .filter(r -> (r.kind() == Kind.VERIFY || r.kind() == Kind.LOGIN || r.kind() == Kind.ISSUE) && r.start() >= loadStartedAt)
                .toList();
        List<Request> failedBefore = load.stream().filter(r -> r.failed() && r.end() < killedAt).toList();
        if (!failedBefore.isEmpty()) {
            Request first = failedBefore.get(0);
            problems.add(failedBefore.size() + " requests failed before the kill, e.g. " + first.kind() + " " + first.path() + " → "
                    + first.status() + " after " + String.format("%.0f ms", first.millis()));
        }
        List<Request> failed = load.stream().filter(r -> r.failed() && r.end() >= killedAt).toList();
        Map<String, Integer> statuses = new TreeMap<>();
        for (Request r : failed) {
            String kind = r.status() == -1 ? "I/O error" : r.status() == -2 ? "no answer in time" : Integer.toString(r.status());
            boolean api = r.path().startsWith("/api/");
            boolean proper = r.status() == 503 && r.retryAfter() && r.contentType() != null
                    && (api ? r.contentType().startsWith("application/problem+json") : r.contentType().startsWith("text/html"));
            statuses.merge(kind + (r.status() == 503 ? (proper ? " with Retry-After" : " WITHOUT Retry-After or the right type") : ""),
                    1, Integer::sum);
            if (!proper && problems.stream().noneMatch(p -> p.startsWith("failed requests"))) {
                problems.add("failed requests not answered 503 with Retry-After, e.g. " + r.kind() + " " + r.path() + " → " + kind
                        + " at t=" + String.format("%+.2f", seconds(r.end())) + " after " + String.format("%.0f ms", r.millis()));
            }
        }
        double maxFailedMillis = failed.stream().mapToDouble(Request::millis).max().orElse(0);
        double maxMillis = load.stream().mapToDouble(Request::millis).max().orElse(0);
        double maxOkMillis = load.stream().filter(r -> !r.failed()).mapToDouble(Request::millis).max().orElse(0);
        double firstFailure = failed.stream().mapToLong(Request::start).min().stream().mapToDouble(this::seconds).findFirst().orElse(Double.NaN);
        double lastFailure = failed.stream().mapToLong(Request::end).max().stream().mapToDouble(this::seconds).findFirst().orElse(Double.NaN);
        // Successful requests a second (by their end), and the rate back: the first second after the kill
        // from which five seconds in a row each reach 80 % of the rate before the kill, with no failure.
        int seconds = options.beforeKillSeconds + options.afterKillSeconds + 2;
        long base = killedAt - TimeUnit.SECONDS.toNanos(options.beforeKillSeconds);
        int[] ok = new int[seconds];
        int[] bad = new int[seconds];
        for (Request r : load) {
            int bucket = (int) Math.floorDiv(r.end() - base, 1_000_000_000L);
            if (bucket >= 0 && bucket < seconds) {
                if (r.failed()) {
                    bad[bucket]++;
                } else {
                    ok[bucket]++;
                }
            }
        }
        double before = 0;
        int counted = 0;
        for (int s = Math.max(0, options.beforeKillSeconds - 10); s < options.beforeKillSeconds; s++) {
            before += ok[s];
            counted++;
        }
        before /= Math.max(1, counted);
        int recoveredAt = -1;
        for (int s = options.beforeKillSeconds; s + 5 <= options.beforeKillSeconds + options.afterKillSeconds; s++) {
            boolean steady = true;
            for (int k = s; k < s + 5; k++) {
                steady &= ok[k] >= 0.8 * before && bad[k] == 0;
            }
            if (steady && (s > options.beforeKillSeconds || bad[s] == 0)) {
                boolean anyFailureLater = false;
                for (int k = s; k < seconds; k++) {
                    anyFailureLater |= bad[k] > 0;
                }
                if (!anyFailureLater) {
                    recoveredAt = s - options.beforeKillSeconds;
                    break;
                }
            }
        }
        List<String> perSecond = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            perSecond.add((s - options.beforeKillSeconds) + ":" + ok[s] + (bad[s] > 0 ? "/" + bad[s] + "failed" : ""));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requestsDuringTheRun", load.size());
        figures.put("requestsFailedAfterTheKill", failed.size());
        figures.put("requestsFailedBeforeTheKill", failedBefore.size());
        figures.put("failedStatuses", statuses);
        figures.put("firstFailureSecondsAfterKill", firstFailure);
        figures.put("lastFailureSecondsAfterKill", lastFailure);
        figures.put("failureWindowSeconds", failed.isEmpty() ? 0 : lastFailure - firstFailure);
        figures.put("slowestFailedRequestMillis", maxFailedMillis);
        figures.put("slowestRequestMillis", maxMillis);
        figures.put("slowestSuccessfulRequestMillis", maxOkMillis);
        figures.put("requestTimeoutMillis", options.requestTimeoutMillis);
        figures.put("successfulRequestsPerSecondBeforeKill", before);
        figures.put("rateBackSecondsAfterKill", recoveredAt);
        figures.put("timeline", lines(timeline));
        figures.put("unexpectedPortalAnswers", lines(unexpected));
        figures.put("successesPerSecondFromKill", perSecond);
        results.putAll(figures);
        if (maxMillis >= options.requestTimeoutMillis) {
            problems.add("a request took " + maxMillis + " ms, past the time-out");
        }
        if (recoveredAt < 0 || recoveredAt > options.recoveryMaxSeconds) {
            problems.add("the rate was not back within " + options.recoveryMaxSeconds + " s of the kill (" + recoveredAt + ")");
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected portal answers: " + lines(unexpected));
        }
        if (failed.isEmpty()) {
            problems.add("no request failed: the kill did not reach the database in use");
        }
        results.put("problems", problems);
        Files.writeString(options.out, Json.write(results));
        System.out.println();
        System.out.println("Failover figures (t = seconds after the SIGKILL to the primary):");
        lines(timeline).forEach(line -> System.out.println("  " + line));
        System.out.printf("  requests from the end of the warm-up: %d; failed before the kill: %d; failed after it: %d %s%n",
                load.size(), failedBefore.size(), failed.size(), statuses);
        System.out.printf("  failures from t=%+.2f s to t=%+.2f s (window %.2f s); slowest failed request %.0f ms, slowest successful %.0f ms (time-out %d ms)%n",
                firstFailure, lastFailure, failed.isEmpty() ? 0 : lastFailure - firstFailure, maxFailedMillis, maxOkMillis,
                options.requestTimeoutMillis);
        System.out.printf("  rate before the kill %.0f successful requests/s; back (5 s at >= 80 %%, no failure after) at t=+%d s%n",
                before, recoveredAt);
        System.out.printf("  verifications accepted %s; codes accepted twice %s; accepted and then lost %s; refused then accepted on retry %s; refused but committed (retry refused) %s; replays of accepted codes %s, accepted %s%n",
                results.get("acceptedVerifications"), results.get("codesAcceptedTwice"), results.get("acceptedVerificationsLost"),
                results.get("refusedVerificationsAcceptedOnRetry"), results.get("refusedVerificationsCommittedAnyway"),
                results.get("acceptedCodesReplayed"), results.get("replaysAccepted"));
        System.out.printf("  mails: %s in the outbox, %s received; lost %s, sent twice %s, not marked sent %s; issuances accepted %s (without mail %s), refused but committed %s%n",
                results.get("mailsInOutbox"), results.get("mailsReceived"), results.get("mailsLost"), results.get("mailsSentTwice"),
                results.get("mailsNotMarkedSent"), results.get("issuancesAccepted"), results.get("issuancesWithoutMail"),
                results.get("issuancesRefusedButCommitted"));
        System.out.printf("  portal sessions: %s checked (%s from before the kill), %s survived%n", results.get("portalSessionsChecked"),
                results.get("portalSessionsBeforeTheKill"), results.get("portalSessionsSurvived"));
        System.out.println("  successful requests a second from the kill: " + String.join(" ", perSecond));
        if (problems.isEmpty()) {
            System.out.println("All failover assertions hold.");
        } else {
            System.out.println("FAILED:");
            problems.forEach(problem -> System.out.println("  - " + problem));
        }
    }

    private static void sleepSeconds(int seconds) throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
    }

    /** Command-line options (deploy/failover-test.sh passes them). */
    static final class Options {
        String kagi = "http://127.0.0.1:55080";
        String kagiHost = "127.0.0.1";
        int kagiPort = 55080;
        List<Integer> readinessPorts = List.of();
        List<Integer> patroniPorts = List.of();
        String db;
        int smtpPort = 55025;
        String key;
        String keyId = "failover-1";
        String kill;
        Path out = Paths.get("failover-result.json");
        int tokens = 20_000;
        int portalUsers = 2_000;
        int verifyThreads = 12;
        double verifyRate = 40;
        int loginThreads = 2;
        double loginRate = 2;
        double issueRate = 2;
        int warmupSeconds = 20;
        int warmupMaxSeconds = 90;
        int beforeKillSeconds = 15;
        int afterKillSeconds = 45;
        int replaySeconds = 3;
        int recoveryMaxSeconds = 40;
        int mailDrainSeconds = 60;
        int requestTimeoutMillis = 15_000;

        static Options parse(String[] args) {
            Options o = new Options();
            for (String arg : args) {
                String[] kv = arg.split("=", 2);
                String value = kv.length > 1 ? kv[1] : "";
                switch (kv[0]) {
                    case "--kagi" -> {
                        o.kagi = value;
                        Matcher m = Pattern.compile("http://([^:/]+):(\\d+)/?").matcher(value);
                        if (!m.matches()) {
                            throw new IllegalArgumentException("--kagi=http://127.0.0.1:port");
                        }
                        o.kagiHost = m.group(1);
                        o.kagiPort = Integer.parseInt(m.group(2));
                    }
                    case "--nodes" -> { }
                    case "--readiness" -> o.readinessPorts = ports(value);
                    case "--patroni" -> o.patroniPorts = ports(value);
                    case "--db" -> o.db = value;
                    case "--smtp-port" -> o.smtpPort = Integer.parseInt(value);
                    case "--key" -> o.key = value;
                    case "--key-id" -> o.keyId = value;
                    case "--kill" -> o.kill = value;
                    case "--out" -> o.out = Paths.get(value);
                    case "--tokens" -> o.tokens = Integer.parseInt(value);
                    case "--portal-users" -> o.portalUsers = Integer.parseInt(value);
                    case "--verify-rate" -> o.verifyRate = Double.parseDouble(value);
                    case "--login-rate" -> o.loginRate = Double.parseDouble(value);
                    case "--issue-rate" -> o.issueRate = Double.parseDouble(value);
                    case "--warmup" -> o.warmupSeconds = Integer.parseInt(value);
                    case "--warmup-max" -> o.warmupMaxSeconds = Integer.parseInt(value);
                    case "--before-kill" -> o.beforeKillSeconds = Integer.parseInt(value);
                    case "--after-kill" -> o.afterKillSeconds = Integer.parseInt(value);
                    case "--recovery-max" -> o.recoveryMaxSeconds = Integer.parseInt(value);
                    case "--request-timeout-ms" -> o.requestTimeoutMillis = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("Unknown option " + arg + " (see deploy/README.md)");
                }
            }
            if (o.db == null || o.key == null || o.kill == null) {
                throw new IllegalArgumentException("--db, --key and --kill are required");
            }
            return o;
        }

        private static List<Integer> ports(String value) {
            List<Integer> ports = new ArrayList<>();
            for (String port : value.split(",")) {
                ports.add(Integer.parseInt(port.trim()));
            }
            return ports;
        }
    }
}
