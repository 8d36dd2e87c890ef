package io.kagi.bench.load;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The portal's full login as a browser does it, at 16 concurrent virtual users, each login by a
 * different portal user with an ACTIVE token: GET the login page (session and CSRF token), POST
 * the login ID and password, GET the OTP page (BLGI010, its transaction token), POST a fresh code
 * computed here, GET the top page (BTOP001). Run once with the password hashes at the production
 * bcrypt cost (11) and once at a low cost (4), which shows the framework's own overhead; bcrypt's
 * own rate is measured beside it.
 */
final class LoginLoad {

    static final String PORTAL_SERVICE_ID = "12345678";
    static final String PASSWORD = "Bench-pass-2026";
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    static final Pattern TRANSACTION = Pattern.compile("name=\"transactionToken\"\\s+value=\"([^\"]+)\"");

    private final RunAll run;

    LoginLoad(RunAll run) {
        this.run = run;
    }

    static String loginId(int user) {
        return String.format("bench%06d", user);
    }

    Map<String, Object> run() throws Exception {
        RunAll.Options options = run.options();
        int users = options.loginAccounts;
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        TokenSet tokens = new TokenSet(master, users);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("portalUsers", users);
        long companyId = -1;
        for (int cost : new int[] {11, 4}) {
            try (ServerNode node = run.startProduction("login-cost-" + cost, options.nodePoolSize,
                    Map.of("KAGI_PASSWORDS_ALGORITHM", "bcrypt", "KAGI_PASSWORDS_BCRYPT_STRENGTH", Integer.toString(cost)))) {
                if (companyId < 0) {
                    companyId = seed(users, tokens);
                }
                run.db().execute("UPDATE bizweb_user SET password_hash = '{bcrypt}"
                        + new BCryptPasswordEncoder(cost).encode(PASSWORD) + "' WHERE company_id = " + companyId);
                run.db().execute("VACUUM ANALYZE");
                AtomicLong cursor = new AtomicLong((long) users * cost / 16);
                // At production cost the hash bounds the rate from the start; at the low cost the
                // request path is what is measured, so it is warmed until its rate settles.
                double warmed = cost >= 10
                        ? ClosedLoop.run("login warm-up", options.loginUsers, i -> worker(node.port(), tokens, cursor, i),
                                Duration.ZERO, Duration.ofSeconds(10), Long.MAX_VALUE, List.of(node), run.db()).seconds()
                        : ClosedLoop.warmUntilSteady("login warm-up", options.loginUsers,
                                i -> worker(node.port(), tokens, cursor, i), Duration.ofSeconds(options.warmupSeconds),
                                Duration.ofSeconds(options.warmupMaxSeconds), List.of(node), run.db());
                ClosedLoop.Result measured = ClosedLoop.run("full login, bcrypt cost " + cost, options.loginUsers,
                        i -> worker(node.port(), tokens, cursor, i), Duration.ZERO, Duration.ofSeconds(options.loginSeconds),
                        Long.MAX_VALUE, List.of(node), run.db());
                Map<String, Object> phase = measured.toMap();
                phase.put("requestsPerLogin", 5);
                phase.put("warmupSeconds", warmed);
                phase.put("rssKiBAfter", node.rssKiB());
                result.put("bcrypt cost " + cost, phase);
            }
        }
        return result;
    }

    private long seed(int users, TokenSet tokens) throws Exception {
        return seedPortalUsers(run.db(), run.sealer(), users, tokens);
    }

    /**
     * One company, {@code users} portal users ({@link #loginId}), each with an ACTIVE token at the
     * portal's service (token {@code i} of {@code tokens} is user {@code i}'s); their passwords are
     * unset until the caller sets the hash. Returns the company's id.
     */
    static long seedPortalUsers(BenchDatabase db, SeedSealer sealer, int users, TokenSet tokens) throws Exception {
        String now = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        long companyId;
        long serviceFk;
        try (Connection connection = db.connect()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO bizweb_company (name, branch_code, account_type, account_number, first_use_completed_at, created_at)
                    VALUES ('ベンチ商事', '999', 'ORDINARY', '7654321', now(), now()) RETURNING id""");
                 ResultSet rs = insert.executeQuery()) {
                rs.next();
                companyId = rs.getLong(1);
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM authority_service WHERE service_id = ?")) {
                select.setString(1, PORTAL_SERVICE_ID);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("The portal did not register its service " + PORTAL_SERVICE_ID);
                    }
                    serviceFk = rs.getLong(1);
                }
            }
            long userBase = db.queryLong("SELECT coalesce(max(id), 0) + 1 FROM bizweb_user");
            StringBuilder rows = new StringBuilder(users * 120);
            for (int i = 0; i < users; i++) {
                rows.append(userBase + i).append('\t').append(companyId).append('\t').append(loginId(i))
                        .append("\t{bcrypt}unset\tベンチ利用者").append(i).append("\tuser").append(i)
                        .append("@bench.invalid\tGENERAL\t").append(now).append('\t').append(now).append('\n');
            }
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY bizweb_user (id, company_id, login_id, password_hash, display_name, mail_address, role,
                         password_changed_at, created_at) FROM STDIN""", new java.io.StringReader(rows.toString()));
            db.execute("SELECT setval(pg_get_serial_sequence('bizweb_user', 'id'), (SELECT max(id) FROM bizweb_user))");
            db.seedTokens(serviceFk, tokens, sealer, 0, users, db.nextIdBase(), i -> "bizweb-user:" + (userBase + i));
        }
        return companyId;
    }

    /**
     * Virtual user {@code vu} connecting from a loopback address of its own, {@link #clientAddress}:
     * sixteen customers, not one office behind a NAT. From one address every attempt holds a place
     * of that address's throttle bucket ({@code io.kagi.signin.LoginThrottle}) until its password
     * is checked, so no more than the free places of one address can be checked at once: with 16
     * logins in flight from 127.0.0.1, 6 % of them were told to wait (2026-12-07).
     */
    static ClosedLoop.Worker worker(int port, TokenSet tokens, AtomicLong cursor, int vu) {
        return worker(new MiniHttp("127.0.0.1", port, 60_000, clientAddress(vu)), tokens, cursor);
    }

    /** The loopback address of virtual user {@code vu}: 127.0.1.1, 127.0.1.2, …. */
    static String clientAddress(int vu) {
        return "127.0." + (1 + vu / 250) + "." + (1 + vu % 250);
    }

    private static ClosedLoop.Worker worker(MiniHttp http, TokenSet tokens, AtomicLong cursor) {
        return new ClosedLoop.Worker() {
            @Override
            public boolean call() throws Exception {
                int user;
                String code;
                int tries = 0;
                do {
                    user = (int) (cursor.getAndIncrement() % tokens.capacity());
                    code = tokens.freshCode(user, Instant.now());
                    if (++tries > tokens.capacity()) {
                        throw new IllegalStateException("every user has used the codes of this step");
                    }
                } while (code == null);
                return login(http, loginId(user), code);
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    /** One full login in a fresh session; true when the top page was reached. */
    static boolean login(MiniHttp http, String loginId, String code) throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        MiniHttp.Response page = http.exchange("GET", "/bizweb/login", headers(cookies), null);
        remember(page, cookies);
        String csrf = find(CSRF, page, "login page");
        if (page.status() != 200 || csrf == null) {
            return failed("login page", page);
        }
        MiniHttp.Response afterPassword = http.exchange("POST", "/bizweb/login", formHeaders(cookies),
                form("loginId", loginId, "password", PASSWORD, "_csrf", csrf));
        remember(afterPassword, cookies);
        if (afterPassword.status() != 302 || !String.valueOf(afterPassword.header("location")).endsWith("/bizweb/otp")) {
            return failed("password", afterPassword);
        }
        MiniHttp.Response otpPage = http.exchange("GET", "/bizweb/otp", headers(cookies), null);
        remember(otpPage, cookies);
        String otpCsrf = find(CSRF, otpPage, "OTP page");
        String transaction = find(TRANSACTION, otpPage, "OTP page");
        if (otpPage.status() != 200 || otpCsrf == null || transaction == null) {
            return failed("OTP page", otpPage);
        }
        MiniHttp.Response afterOtp = http.exchange("POST", "/bizweb/otp", formHeaders(cookies),
                form("otp", code, "transactionToken", transaction, "_csrf", otpCsrf));
        remember(afterOtp, cookies);
        if (afterOtp.status() != 302 || !String.valueOf(afterOtp.header("location")).endsWith("/bizweb/top")) {
            return failed("OTP " + code, afterOtp);
        }
        MiniHttp.Response top = http.exchange("GET", "/bizweb/top", headers(cookies), null);
        return top.status() == 200 && top.text().contains("BTOP001") || failed("top page", top);
    }

    /**
     * A login that went wrong, with the step and the answer (status, Location, the page's screen ID
     * or message), so that the phase's first failures say why: an exception, which ClosedLoop
     * counts as a failure and keeps the first five of.
     */
    static boolean failed(String step, MiniHttp.Response response) {
        String text = response.text();
        Matcher screen = Pattern.compile("[A-Z]{4}[0-9]{3}").matcher(text);
        Matcher message = Pattern.compile("class=\"[^\"]*(?:error|alert)[^\"]*\"[^>]*>\\s*([^<]{1,160})").matcher(text);
        throw new IllegalStateException(step + ": " + response.status() + " location=" + response.header("location")
                + (screen.find() ? " screen=" + screen.group() : "") + (message.find() ? " message=" + message.group(1).trim() : ""));
    }

    static String find(Pattern pattern, MiniHttp.Response response, String where) {
        Matcher matcher = pattern.matcher(response.text());
        return matcher.find() ? matcher.group(1) : null;
    }

    static List<String> headers(Map<String, String> cookies) {
        List<String> headers = new ArrayList<>(3);
        headers.add("Accept: text/html");
        headers.add("Accept-Language: ja");
        if (!cookies.isEmpty()) {
            StringBuilder cookie = new StringBuilder("Cookie: ");
            cookies.forEach((name, value) -> cookie.append(name).append('=').append(value).append("; "));
            headers.add(cookie.substring(0, cookie.length() - 2));
        }
        return headers;
    }

    static List<String> formHeaders(Map<String, String> cookies) {
        List<String> headers = headers(cookies);
        headers.add("Content-Type: application/x-www-form-urlencoded");
        return headers;
    }

    static void remember(MiniHttp.Response response, Map<String, String> cookies) {
        for (String setCookie : response.headers("set-cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals > 0) {
                String value = pair.substring(equals + 1);
                if (value.isEmpty()) {
                    cookies.remove(pair.substring(0, equals));
                } else {
                    cookies.put(pair.substring(0, equals), value);
                }
            }
        }
    }

    static byte[] form(String... namesAndValues) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.append(i == 0 ? "" : "&").append(namesAndValues[i]).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** bcrypt's own rate (checks per second) at the production cost (11) and the low cost (4), on 1 and 2 threads. */
    static Map<String, Object> bcryptRates(int seconds) throws InterruptedException {
        Map<String, Object> rates = new LinkedHashMap<>();
        for (int cost : new int[] {11, 4}) {
            String hash = new BCryptPasswordEncoder(cost).encode(PASSWORD);
            for (int threads : new int[] {1, 2}) {
                long[] counts = new long[threads];
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                Thread[] workers = new Thread[threads];
                BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(cost);
                for (int t = 0; t < threads; t++) {
                    int index = t;
                    workers[t] = new Thread(() -> {
                        while (System.nanoTime() < end) {
                            if (!encoder.matches(PASSWORD, hash)) {
                                throw new IllegalStateException("bcrypt did not match");
                            }
                            counts[index]++;
                        }
                    });
                    workers[t].start();
                }
                long total = 0;
                for (int t = 0; t < threads; t++) {
                    workers[t].join();
                    total += counts[t];
                }
                double perSecond = total / (double) seconds;
                rates.put("cost" + cost + "Threads" + threads + "PerSecond", perSecond);
                System.out.printf("  bcrypt cost %d, %d thread(s): %.1f checks/s%n", cost, threads, perSecond);
            }
        }
        return rates;
    }
}
