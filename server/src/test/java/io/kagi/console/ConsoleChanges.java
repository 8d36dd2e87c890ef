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

    /** Every change the console makes after a confirm screen and a fresh OTP. */
    enum Change {
        CREATE_COMPANY("COMPANY_CREATED"),
        PUBLISH_NOTICE("NOTICE_PUBLISHED"),
        WITHDRAW_NOTICE("NOTICE_WITHDRAWN"),
        UNLOCK_LOGIN("LOGIN_UNLOCKED"),
        UNLOCK_TOKEN("TOKEN_UNLOCKED"),
        REVOKE_TOKEN("TOKEN_REVOKED"),
        RETRY_MAIL("MAIL_RETRY_REQUESTED");

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
                String page = ok(console.submit("/console/notices/confirm", top, Map.of("title", title,
                        "body", "確認した本文", "publishFrom", "", "publishUntil", "")));
                yield new Prepared(change, page, "/console/notices/publish", "/console/notices/publish",
                        Map.of("title", tampered, "body", "改ざんした本文", "publishFrom", "2030-01-01T00:00",
                                "publishUntil", ""),
                        () -> count("SELECT COUNT(*) FROM bizweb_notice WHERE title = ? AND body = '確認した本文'", title),
                        () -> count("SELECT COUNT(*) FROM bizweb_notice WHERE title = ? OR body = '改ざんした本文'", tampered));
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
                String state = change == Change.UNLOCK_TOKEN ? "ACTIVE" : "REVOKED";
                TestTokenDevice confirmed = lockedOperatorToken();
                TestTokenDevice other = lockedOperatorToken();
                String page = console.page("/console/users/action?action=" + change.name() + "&serviceId="
                        + confirmed.serviceId() + "&userId=" + confirmed.userId());
                yield new Prepared(change, page, "/console/users/action", "/console/users/action",
                        Map.of("action", change.name(), "serviceId", other.serviceId(), "userId", other.userId()),
                        () -> tokensIn(confirmed, state), () -> tokensIn(other, state));
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

    private long tokensIn(TestTokenDevice device, String state) {
        return count("""
                SELECT COUNT(*) FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                JOIN authority_service s ON s.id = a.service_fk
                WHERE s.service_id = ? AND a.user_id = ? AND t.state = ?""", device.serviceId(), device.userId(), state);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
