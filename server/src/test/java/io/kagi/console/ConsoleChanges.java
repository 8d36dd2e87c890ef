package io.kagi.console;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.kagi.authority.Tokens;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's changes as the tests drive them: each sets up its target (and a second one that a
 * tampered form names instead), opens its confirm screen and says where the form posts, how many
 * rows show the change and which audit row records it.
 */
final class ConsoleChanges {

    /**
     * Every change the console makes after a confirm screen and a fresh OTP; for those under dual
     * control, what the maker's step makes is the waiting change ({@code CHANGE_PROPOSED}).
     */
    enum Change {
        CREATE_COMPANY("COMPANY_CREATED"),
        PUBLISH_NOTICE("CHANGE_PROPOSED"),
        WITHDRAW_NOTICE("NOTICE_WITHDRAWN"),
        UNLOCK_LOGIN("LOGIN_UNLOCKED"),
        UNLOCK_TOKEN("CHANGE_PROPOSED"),
        REVOKE_TOKEN("CHANGE_PROPOSED"),
        RETRY_MAIL("MAIL_RETRY_REQUESTED"),
        REGISTER_SERVICE("SERVICE_REGISTERED"),
        ADD_OPERATOR("OPERATOR_CREATED");

        final String auditType;

        Change(String auditType) {
            this.auditType = auditType;
        }
    }

    /**
     * A change set up for one operator.
     *
     * @param confirmPage      the confirm screen (its form token and CSRF token)
     * @param executePath      where its form posts
     * @param tamperedFields   fields (and, in {@code tamperedPath}, a path) naming the second target instead
     * @param changed          rows showing the change of the confirmed target (0 before, 1 after)
     * @param tamperedChanged  rows showing the same change of the second target (stays 0)
     */
    record Prepared(Change change, String confirmPage, String executePath, String tamperedPath,
                    Map<String, String> tamperedFields, LongSupplier changed, LongSupplier tamperedChanged) {
    }

    private static final AtomicInteger SERIAL = new AtomicInteger(6000000);

    private final JdbcClient jdbc;
    private final ConsoleTestData data;
    private final Tokens tokens;
    private final MutableClock clock;
    private final String baseUrl;
    private final Map<String, TestTokenDevice> supervisorDevices = new java.util.concurrent.ConcurrentHashMap<>();

    ConsoleChanges(JdbcClient jdbc, ConsoleTestData data, Tokens tokens, MutableClock clock, String baseUrl) {
        this.jdbc = jdbc;
        this.data = data;
        this.tokens = tokens;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    static int serial() {
        return SERIAL.incrementAndGet();
    }

    /** A supervisor logged in to {@code console} with password and OTP; returns their token. */
    TestTokenDevice supervisor(ConsoleClient console, String loginId) {
        long operatorId = data.operator(loginId, "console-pass-" + loginId, "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, baseUrl, operatorId);
        console.logInWithOtp(loginId, "console-pass-" + loginId, device, clock);
        return device;
    }

    Prepared prepare(Change change, ConsoleClient console) {
        String top = console.page("/console");
        return switch (change) {
            case CREATE_COMPANY -> {
                String number = String.valueOf(serial());
                String other = String.valueOf(serial());
                String page = ok(console.submit("/console/companies/new/confirm", top, Map.of("name", "株式会社確認" + number,
                        "branchCode", "101", "accountType", "CURRENT", "accountNumber", number)));
                yield new Prepared(change, page, "/console/companies/new/create", "/console/companies/new/create",
                        Map.of("name", "株式会社改ざん" + other, "branchCode", "999", "accountType", "ORDINARY",
                                "accountNumber", other),
                        () -> count("SELECT COUNT(*) FROM bizweb_company WHERE account_number = ? AND name = ?"
                                + " AND branch_code = '101' AND account_type = 'CURRENT'", number, "株式会社確認" + number),
                        () -> count("SELECT COUNT(*) FROM bizweb_company WHERE account_number = ? OR name = ?",
                                other, "株式会社改ざん" + other));
            }
            case PUBLISH_NOTICE -> {
                String title = "確認したお知らせ" + serial();
                String tampered = "改ざんしたお知らせ" + serial();
                long company = companyOf(data.masterUser("nc" + serial(), "notice-pass-1"));
                long otherCompany = companyOf(data.masterUser("nt" + serial(), "notice-pass-1"));
                String page = ok(console.submit("/console/notices/confirm", top, Map.of("title", title,
                        "body", "確認した本文", "titleEn", "Confirmed " + title, "bodyEn", "Confirmed text",
                        "companyId", String.valueOf(company), "publishFrom", "", "publishUntil", "")));
                yield new Prepared(change, page, "/console/notices/publish", "/console/notices/publish",
                        Map.of("title", tampered, "body", "改ざんした本文", "titleEn", "Tampered", "bodyEn", "Tampered text",
                                "companyId", String.valueOf(otherCompany), "publishFrom", "2030-01-01T00:00",
                                "publishUntil", ""),
                        () -> waiting("notice-publish", "\"" + title + "\"", "\"companyId\":" + company),
                        () -> waiting("notice-publish", "\"" + tampered + "\"", "")
                                + waiting("notice-publish", "改ざんした本文", "")
                                + waiting("notice-publish", "\"companyId\":" + otherCompany, ""));
            }
            case WITHDRAW_NOTICE -> {
                long confirmed = notice("取り下げるお知らせ" + serial());
                long other = notice("残すお知らせ" + serial());
                String page = console.page("/console/notices/" + confirmed + "/withdraw");
                yield new Prepared(change, page, "/console/notices/" + confirmed + "/withdraw",
                        "/console/notices/" + other + "/withdraw", Map.of(),
                        () -> count("SELECT COUNT(*) FROM bizweb_notice WHERE id = ? AND withdrawn = TRUE", confirmed),
                        () -> count("SELECT COUNT(*) FROM bizweb_notice WHERE id = ? AND withdrawn = TRUE", other));
            }
            case UNLOCK_LOGIN -> {
                long confirmed = lockedMaster();
                long other = lockedMaster();
                String page = console.page("/console/users/action?action=UNLOCK_LOGIN&user=" + confirmed);
                yield new Prepared(change, page, "/console/users/action", "/console/users/action",
                        Map.of("action", "UNLOCK_LOGIN", "user", String.valueOf(other)),
                        () -> count("SELECT COUNT(*) FROM bizweb_user WHERE id = ? AND login_locked_at IS NULL", confirmed),
                        () -> count("SELECT COUNT(*) FROM bizweb_user WHERE id = ? AND login_locked_at IS NULL", other));
            }
            case UNLOCK_TOKEN, REVOKE_TOKEN -> {
                TestTokenDevice confirmed = lockedOperatorToken();
                TestTokenDevice other = lockedOperatorToken();
                String page = console.page("/console/users/action?action=" + change.name() + "&serviceId="
                        + confirmed.serviceId() + "&userId=" + confirmed.userId());
                yield new Prepared(change, page, "/console/users/action", "/console/users/action",
                        Map.of("action", change.name(), "serviceId", other.serviceId(), "userId", other.userId()),
                        () -> waiting("token-action", change.name(), "\"userId\":\"" + confirmed.userId() + "\""),
                        () -> waiting("token-action", "\"userId\":\"" + other.userId() + "\"", ""));
            }
            case REGISTER_SERVICE -> {
                String serviceId = "5" + serial();
                String other = "4" + serial();
                Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("serviceId", serviceId,
                        "name", "確認サービス" + serviceId, "algorithm", "SHA256", "digits", "6", "stepSeconds", "60",
                        "window", "1", "lockThreshold", "5", "activationValidityHours", "24",
                        "revokeCoolingOffMinutes", "30"));
                fields.put("otpAtLogin", "true");
                String page = ok(console.submit("/console/services/new/confirm", top, fields));
                yield new Prepared(change, page, "/console/services/new/register", "/console/services/new/register",
                        Map.of("serviceId", other, "name", "改ざんサービス" + other),
                        () -> count("SELECT COUNT(*) FROM authority_service WHERE service_id = ? AND name = ?",
                                serviceId, "確認サービス" + serviceId),
                        () -> count("SELECT COUNT(*) FROM authority_service WHERE service_id = ? OR name = ?",
                                other, "改ざんサービス" + other));
            }
            case ADD_OPERATOR -> {
                String loginId = "newop" + serial();
                String other = "tamper" + serial();
                String page = ok(console.submit("/console/operators/new/confirm", top, Map.of("loginId", loginId,
                        "displayName", "新人 運用者", "mailAddress", loginId + "@bank.example.jp", "role", "OPERATOR")));
                yield new Prepared(change, page, "/console/operators/new/add", "/console/operators/new/add",
                        Map.of("loginId", other, "displayName", "改ざん", "mailAddress", other + "@bank.example.jp",
                                "role", "SUPERVISOR"),
                        () -> count("SELECT COUNT(*) FROM console_operator WHERE login_id = ? AND role = 'OPERATOR'", loginId),
                        () -> count("SELECT COUNT(*) FROM console_operator WHERE login_id = ? OR display_name = ?",
                                other, "改ざん"));
            }
            case RETRY_MAIL -> {
                long confirmed = data.failedMail("retry" + serial() + "@example.jp");
                long other = data.failedMail("other" + serial() + "@example.jp");
                String page = console.page("/console/mail/" + confirmed + "/retry");
                yield new Prepared(change, page, "/console/mail/" + confirmed + "/retry",
                        "/console/mail/" + other + "/retry", Map.of(),
                        () -> retried(confirmed), () -> retried(other));
            }
        };
    }

    /** Changes of {@code kind} waiting for approval whose operation contains both texts. */
    long waiting(String kind, String text, String alsoText) {
        return count("SELECT COUNT(*) FROM console_pending_change WHERE kind = ? AND state = 'WAITING'"
                + " AND operation LIKE ? AND operation LIKE ?", kind, "%" + text + "%", "%" + alsoText + "%");
    }

    /** A second supervisor, logged in to a console of their own, who approves or rejects. */
    ConsoleClient secondSupervisor(String loginId) {
        ConsoleClient console = new ConsoleClient(baseUrl);
        supervisorDevices.put(loginId, supervisor(console, loginId));
        return console;
    }

    /** The token of a supervisor made by {@link #secondSupervisor}. */
    TestTokenDevice deviceOf(String loginId) {
        return supervisorDevices.get(loginId);
    }

    /**
     * {@code decider} takes {@code verdict} ({@code approve}, {@code reject}, {@code withdraw}) on
     * change {@code id} with a fresh code of {@code device}: its confirm screen, then the execute step.
     */
    java.net.http.HttpResponse<String> decide(ConsoleClient decider, TestTokenDevice device, long id, String verdict) {
        String page = ok(decider.get("/console/approvals/" + id + "/" + verdict));
        return decider.submit("/console/approvals/" + id + "/" + verdict, page, Map.of(
                "transactionToken", ConsoleClient.formTokenOf(page),
                "otp", device.codeAt(clock.advance(java.time.Duration.ofSeconds(60)))));
    }

    /** The latest change of {@code kind} made by {@code maker} (a login ID). */
    long latestChange(String kind, String maker) {
        return count("SELECT MAX(id) FROM console_pending_change WHERE kind = ? AND maker = ?", kind, "operator:" + maker);
    }

    /** Audit rows of {@code type} written for {@code actor}. */
    long auditRows(String type, String actor) {
        return count("SELECT COUNT(*) FROM audit_event WHERE type = ? AND actor = ?", type, actor);
    }

    long count(String sql, Object... parameters) {
        var statement = jdbc.sql(sql);
        for (Object parameter : parameters) {
            statement = statement.param(parameter);
        }
        return statement.query(Long.class).single();
    }

    private static String ok(java.net.http.HttpResponse<String> response) {
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as("confirm page: %s", response.body())
                .isEqualTo(200);
        return response.body();
    }

    private long notice(String title) {
        jdbc.sql("""
                        INSERT INTO bizweb_notice (title, body, publish_from, withdrawn, created_at)
                        VALUES (:title, '本文', :now, FALSE, :now)""")
                .param("title", title).param("now", now()).update();
        return jdbc.sql("SELECT id FROM bizweb_notice WHERE title = :title").param("title", title).query(Long.class).single();
    }

    private long companyOf(long userId) {
        return count("SELECT company_id FROM bizweb_user WHERE id = ?", userId);
    }

    private long lockedMaster() {
        long userId = data.masterUser("lk" + serial(), "locked2024pw");
        jdbc.sql("UPDATE bizweb_user SET login_locked_at = :now, failed_login_count = 5 WHERE id = :id")
                .param("now", now()).param("id", userId).update();
        return userId;
    }

    /** Another operator's token at the console's service, locked after wrong codes. */
    private TestTokenDevice lockedOperatorToken() {
        long operatorId = data.operator("tk" + serial(), "token-owner-pass", "OPERATOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, baseUrl, operatorId);
        jdbc.sql("""
                        UPDATE authority_token SET state = 'LOCKED', locked_at = :now, consecutive_failures = 5
                        WHERE state = 'ACTIVE' AND account_fk = (SELECT id FROM authority_account WHERE account_ref = :ref)""")
                .param("now", now()).param("ref", "console-operator:" + operatorId).update();
        return device;
    }

    /** Back in line (the sender may have tried it again meanwhile): no longer the failed mail with its 8 attempts. */
    private long retried(long mailId) {
        return count("SELECT COUNT(*) FROM mail_outbox WHERE id = ? AND NOT (status = 'FAILED' AND attempts = 8)", mailId);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
