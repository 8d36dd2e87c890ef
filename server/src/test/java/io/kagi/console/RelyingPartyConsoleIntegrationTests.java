package io.kagi.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.ObjectMapper;

import static io.kagi.console.ConsoleClient.csrfOf;
import static io.kagi.console.ConsoleClient.formTokenOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relying parties managed in the console (CSRV) over real HTTP, the relying party itself a plain
 * HTTP client of the REST API: register, issue the API secret, issue and verify a token with it;
 * rotate with its grace period; change the policy (its rules and its 取引認証 policy); suspend and resume. Issuing or rotating the
 * secret and changing the policy wait for a second supervisor, who approves them (and is shown the
 * secret). Nothing is written to the database but the test's operators; the test reads back audit
 * rows and the waiting changes.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class RelyingPartyConsoleIntegrationTests extends ConsoleChangeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET = Pattern.compile("id=\"api-secret\">([A-Za-z0-9_-]{43})<");
    private final HttpClient http = HttpClient.newHttpClient();
    private String approverId;
    private ConsoleClient approver;

    /** The second supervisor who approves (made at the test's first need, so the bank has two or more). */
    private ConsoleClient approver() {
        if (approver == null) {
            approverId = "rpa" + ConsoleChanges.serial();
            approver = changes.secondSupervisor(approverId);
        }
        return approver;
    }

    @Test
    void aSupervisorRegistersAServiceAndIssuesItsSecretWithWhichTheRelyingPartyIssuesAndVerifiesATokenOverRest()
            throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();

        HttpResponse<String> wrong = console.submit("/console/services/new/confirm", console.page("/console/services/new"),
                policy(Map.of("serviceId", "1234", "name", "", "digits", "9", "stepSeconds", "0")));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("CSRV002", "サービスIDは半角数字8桁で入力してください。", "入力してください。",
                "桁数は6〜8で入力してください。", "更新間隔は1〜600秒で入力してください。");

        register(console, operator, serviceId, "かぎ証券オンライン");
        String page = console.page("/console/services/" + serviceId);
        assertThat(page).contains("CSRV004", "かぎ証券オンライン", "未発行");
        assertThat(console.page("/console/services")).contains(serviceId, "かぎ証券オンライン");

        String secret = issueSecret(console, operator, loginId, serviceId).secret;
        assertThat(console.page("/console/services/" + serviceId)).doesNotContain(secret).contains("発行済");

        TestTokenDevice phone = TestTokenDevice.activate(url(""), serviceId,
                issueToken(serviceId, secret, "customer-1", "9753"), "9753");
        assertThat(phone.serviceName()).isEqualTo("かぎ証券オンライン");
        HttpResponse<String> verified = api("POST", serviceId, secret, "/accounts/customer-1/token/verify",
                "{\"code\":\"" + phone.codeAt(clock.advance(Duration.ofSeconds(60))) + "\"}");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(JSON.readTree(verified.body()).get("result").asString()).isEqualTo("accepted");

        assertThat(changes.auditRows("SERVICE_REGISTERED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("SERVICE_API_SECRET_CHANGED", "operator:" + loginId)).isZero();
        assertThat(changes.auditRows("SERVICE_API_SECRET_CHANGED", "operator:" + approverId)).isEqualTo(1);
        assertThat(changes.auditRows("CHANGE_PROPOSED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("CHANGE_APPROVED", "operator:" + approverId)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE details LIKE ? OR subject LIKE ?",
                "%" + secret + "%", "%" + secret + "%")).isZero();
        assertThat(changes.count("SELECT COUNT(*) FROM console_pending_change WHERE operation LIKE ? OR outcome LIKE ?",
                "%" + secret + "%", "%" + secret + "%")).isZero();
        assertThat(changes.count("SELECT COUNT(*) FROM one_time_form WHERE payload LIKE ?", "%" + secret + "%")).isZero();
    }

    @Test
    void afterARotationTheOldAndTheNewSecretBothWorkUntilTheTimeTheConsoleShowsThenOnlyTheNewOne() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();
        register(console, operator, serviceId, "回転テスト");
        String first = issueSecret(console, operator, loginId, serviceId).secret;

        Issued rotated = issueSecret(console, operator, loginId, serviceId);
        assertThat(rotated.page).contains("CSRV008", "以前のAPIシークレット", "まで有効");
        assertThat(console.page("/console/services/" + serviceId)).contains("previous-secret-until", "まで有効");
        assertThat(api("GET", serviceId, first, "", null).statusCode()).isEqualTo(200);
        assertThat(api("GET", serviceId, rotated.secret, "", null).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofHours(24));
        assertThat(api("GET", serviceId, first, "", null).statusCode()).isEqualTo(401);
        assertThat(api("GET", serviceId, rotated.secret, "", null).statusCode()).isEqualTo(200);
        ConsoleClient nextDay = new ConsoleClient(url(""));
        nextDay.logInWithOtp(loginId, "console-pass-" + loginId, operator, clock);
        assertThat(nextDay.page("/console/services/" + serviceId)).doesNotContain("previous-secret-until");
    }

    @Test
    void aSecretFormSentTwiceWaitsOnceAndOfTwoWaitingSecretsConfirmedAgainstOneVersionOnlyTheFirstApprovedIsIssued() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        approver();
        String serviceId = newServiceId();
        register(console, operator, serviceId, "二重送信テスト");
        String detail = console.page("/console/services/" + serviceId);
        String firstConfirm = ok(console.submit("/console/services/" + serviceId + "/secret/confirm", detail, Map.of()));
        String secondConfirm = ok(console.submit("/console/services/" + serviceId + "/secret/confirm", detail, Map.of()));

        String code = operator.codeAt(clock.advance(Duration.ofSeconds(60)));
        Map<String, String> send = Map.of("transactionToken", formTokenOf(firstConfirm), "otp", code,
                "_csrf", csrfOf(firstConfirm));
        assertThat(location(console.post("/console/services/" + serviceId + "/secret/issue", send))).endsWith("/console/approvals");
        assertThat(location(console.post("/console/services/" + serviceId + "/secret/issue", send))).endsWith("?alreadyDone");
        long first = changes.latestChange("service-secret", loginId);
        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/secret/issue", secondConfirm)))
                .endsWith("/console/approvals");
        long second = changes.latestChange("service-secret", loginId);
        assertThat(second).isNotEqualTo(first);
        assertThat(changes.auditRows("SERVICE_API_SECRET_CHANGED", "operator:" + approverId)).isZero();

        assertThat(changes.decide(approver(), changes.deviceOf(approverId), first, "approve").body()).contains("CSRV008");
        assertThat(location(changes.decide(approver(), changes.deviceOf(approverId), second, "approve")))
                .endsWith("/console/approvals");
        assertThat(approver().page("/console/approvals")).contains("APIシークレットが登録後に発行・更新されていたため");
        assertThat(changes.auditRows("SERVICE_API_SECRET_CHANGED", "operator:" + approverId)).isEqualTo(1);
    }

    @Test
    void aPolicyChangeGivesNewTokensTheNewRulesAndAChangeConfirmedAgainstAnOlderPolicyIsNotCarriedOut() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();
        register(console, operator, serviceId, "方式変更テスト");
        String secret = issueSecret(console, operator, loginId, serviceId).secret;

        HttpResponse<String> unchanged = console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of()));
        assertThat(unchanged.body()).contains("CSRV005", "変更された項目がありません。");
        String eight = ok(console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of("digits", "8", "algorithm", "SHA1"))));
        assertThat(eight).contains("CSRV006", "6 → 8", "SHA256 → SHA1");
        String seven = ok(console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of("digits", "7"))));

        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/policy/change", eight)))
                .endsWith("/console/approvals");
        long eightWaiting = changes.latestChange("service-policy", loginId);
        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/policy/change", seven)))
                .endsWith("/console/approvals");
        long sevenWaiting = changes.latestChange("service-policy", loginId);
        assertThat(changes.auditRows("SERVICE_POLICY_CHANGED", "operator:" + loginId)).isZero();
        assertThat(changes.auditRows("SERVICE_POLICY_CHANGED", "operator:" + approverId)).isZero();
        assertThat(approver().page("/console/approvals/" + eightWaiting + "/approve")).contains("CAPR002", "6 → 8",
                "SHA256 → SHA1");
        assertThat(location(console.get("/console/approvals/" + eightWaiting + "/approve"))).endsWith("/console/approvals");
        assertThat(changes.auditRows("SERVICE_POLICY_CHANGED", "operator:" + loginId)).isZero();

        assertThat(location(changes.decide(approver(), changes.deviceOf(approverId), eightWaiting, "approve")))
                .endsWith("/console/approvals");
        assertThat(approver().page("/console/approvals")).contains("トークンの方式を変更しました。");
        assertThat(location(changes.decide(approver(), changes.deviceOf(approverId), sevenWaiting, "approve")))
                .endsWith("/console/approvals");
        assertThat(approver().page("/console/approvals")).contains("トークンの方式が登録後に変更されていたため");
        assertThat(changes.auditRows("SERVICE_POLICY_CHANGED", "operator:" + approverId)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'SERVICE_POLICY_CHANGED' AND subject = ?"
                + " AND details LIKE ? AND details LIKE ? AND details NOT LIKE ?", "service:" + serviceId,
                "%algorithm=SHA256 -> SHA1%", "%digits=6 -> 8%", "%window%")).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'SERVICE_REGISTERED' AND subject = ?"
                + " AND details LIKE ?", "service:" + serviceId, "%digits=6%")).isEqualTo(1);
        // The secret issued at the start, and both policy changes (the second approved, but not carried out).
        assertThat(changes.auditRows("CHANGE_APPROVED", "operator:" + approverId)).isEqualTo(3);

        TestTokenDevice phone = TestTokenDevice.activate(url(""), serviceId,
                issueToken(serviceId, secret, "customer-8", "2468"), "2468");
        assertThat(phone.parameters().digits()).isEqualTo(8);
        assertThat(phone.parameters().algorithm()).isEqualTo("SHA1");
    }

    @Test
    void theTransactionSigningPolicyChangesOnlyWhenASecondSupervisorApprovesAndNotIfItChangedMeanwhile() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        approver();
        String serviceId = newServiceId();
        register(console, operator, serviceId, "取引認証テスト");
        assertThat(signingPolicy(serviceId)).isEqualTo("TOTP_ONLY");
        assertThat(console.page("/console/services/" + serviceId + "/policy")).contains("transactionSigning",
                "振込と振込先登録を取引認証で承認");

        HttpResponse<String> invalid = console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of("transactionSigning", "ALWAYS")));
        assertThat(invalid.body()).contains("CSRV005", "取引認証の方式を選択してください。");
        String payees = ok(console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"),
                policy(Map.of("transactionSigning", "TRANSFERS_AND_PAYEES"))));
        assertThat(payees).contains("CSRV006", "取引認証（変更前）", "ワンタイムパスワードのみ", "取引認証（変更後）",
                "振込と振込先登録を取引認証で承認").doesNotContain("SHA256 →");
        String transfers = ok(console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of("transactionSigning", "TRANSFERS"))));

        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/policy/change", payees)))
                .endsWith("/console/approvals");
        long payeesWaiting = changes.latestChange("service-policy", loginId);
        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/policy/change", transfers)))
                .endsWith("/console/approvals");
        long transfersWaiting = changes.latestChange("service-policy", loginId);
        // Proposed, not applied: the column and CSRV004 still say TOTP only, and nobody changed a policy.
        assertThat(signingPolicy(serviceId)).isEqualTo("TOTP_ONLY");
        assertThat(console.page("/console/services/" + serviceId)).contains("ワンタイムパスワードのみ");
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'SERVICE_POLICY_CHANGED' AND subject = ?",
                "service:" + serviceId)).isZero();
        assertThat(approver().page("/console/approvals/" + payeesWaiting + "/approve")).contains("CAPR002",
                "取引認証（変更後）", "振込と振込先登録を取引認証で承認");
        // The maker cannot approve their own change.
        assertThat(location(console.get("/console/approvals/" + payeesWaiting + "/approve"))).endsWith("/console/approvals");
        assertThat(signingPolicy(serviceId)).isEqualTo("TOTP_ONLY");

        assertThat(location(changes.decide(approver(), changes.deviceOf(approverId), payeesWaiting, "approve")))
                .endsWith("/console/approvals");
        assertThat(approver().page("/console/approvals")).contains("トークンの方式を変更しました。");
        assertThat(signingPolicy(serviceId)).isEqualTo("TRANSFERS_AND_PAYEES");
        assertThat(console.page("/console/services/" + serviceId)).contains("振込と振込先登録を取引認証で承認");
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'SERVICE_POLICY_CHANGED' AND subject = ?"
                        + " AND actor = ? AND details LIKE ?", "service:" + serviceId, "operator:" + approverId,
                "%TOTP_ONLY -> TRANSFERS_AND_PAYEES%")).isEqualTo(1);

        // Confirmed against TOTP only, approved after the policy moved on: nothing happens.
        assertThat(location(changes.decide(approver(), changes.deviceOf(approverId), transfersWaiting, "approve")))
                .endsWith("/console/approvals");
        assertThat(approver().page("/console/approvals")).contains("トークンの方式が登録後に変更されていたため");
        assertThat(signingPolicy(serviceId)).isEqualTo("TRANSFERS_AND_PAYEES");
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE type = 'SERVICE_POLICY_CHANGED' AND subject = ?",
                "service:" + serviceId)).isEqualTo(1);
    }

    private String signingPolicy(String serviceId) {
        return jdbc.sql("SELECT transaction_signing FROM authority_service WHERE service_id = :id")
                .param("id", serviceId).query(String.class).single();
    }

    @Test
    void aSuspendedServiceIsRefusedWith403UntilResumedAndTheBuiltInServicesCannotBeSuspended() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();
        register(console, operator, serviceId, "停止テスト");
        String secret = issueSecret(console, operator, loginId, serviceId).secret;
        String userId = issueToken(serviceId, secret, "customer-s", "1357");

        String detail = console.page("/console/services/" + serviceId);
        String confirm = ok(console.submit("/console/services/" + serviceId + "/suspension/confirm", detail,
                Map.of("suspend", "true")));
        assertThat(confirm).contains("CSRV009");
        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/suspension/change", confirm)))
                .endsWith("/console/services/" + serviceId);
        assertThat(console.page("/console/services/" + serviceId)).contains("停止中");

        HttpResponse<String> refused = api("GET", serviceId, secret, "", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("code").asString()).isEqualTo("service-suspended");
        assertThat(TestTokenDevice.attempt(url(""), serviceId, userId, "1357").device()).isNull();

        String resume = ok(console.submit("/console/services/" + serviceId + "/suspension/confirm",
                console.page("/console/services/" + serviceId), Map.of("suspend", "false")));
        execute(console, operator, "/console/services/" + serviceId + "/suspension/change", resume);
        assertThat(api("GET", serviceId, secret, "", null).statusCode()).isEqualTo(200);
        assertThat(changes.auditRows("SERVICE_SUSPENDED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("SERVICE_RESUMED", "operator:" + loginId)).isEqualTo(1);

        String portal = console.page("/console/services/" + ConsoleTestData.PORTAL.digits());
        assertThat(portal).doesNotContain("change-suspension");
        HttpResponse<String> builtIn = console.submit("/console/services/" + ConsoleTestData.CONSOLE.digits()
                + "/suspension/confirm", portal, Map.of("suspend", "true"));
        assertThat(location(builtIn)).endsWith("/console/services/" + ConsoleTestData.CONSOLE.digits());
    }

    @Test
    void anOperatorWhoIsNotASupervisorReadsServicesButCannotChangeThem() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rpo" + ConsoleChanges.serial();
        long id = data.operator(loginId, "console-pass-" + loginId, "OPERATOR");
        console.logInWithOtp(loginId, "console-pass-" + loginId, ConsoleTestData.operatorToken(tokens, url(""), id), clock);

        assertThat(console.page("/console/services")).contains("CSRV001").doesNotContain("new-service");
        assertThat(console.get("/console/services/new").statusCode()).isEqualTo(403);
        String detail = console.page("/console/services/" + ConsoleTestData.PORTAL.digits());
        assertThat(console.submit("/console/services/" + ConsoleTestData.PORTAL.digits() + "/secret/confirm", detail, Map.of())
                .statusCode()).isEqualTo(403);
    }

    private record Issued(String secret, String page) {
        @Override
        public String toString() {
            return "Issued[(hidden)]";
        }
    }

    private void register(ConsoleClient console, TestTokenDevice operator, String serviceId, String name) {
        String confirm = ok(console.submit("/console/services/new/confirm", console.page("/console/services/new"),
                policy(Map.of("serviceId", serviceId, "name", name))));
        assertThat(confirm).contains("CSRV003", serviceId, name);
        assertThat(location(execute(console, operator, "/console/services/new/register", confirm)))
                .endsWith("/console/services/" + serviceId);
    }

    private Issued issueSecret(ConsoleClient console, TestTokenDevice operator, String loginId, String serviceId) {
        String confirm = ok(console.submit("/console/services/" + serviceId + "/secret/confirm",
                console.page("/console/services/" + serviceId), Map.of()));
        assertThat(confirm).contains("CSRV007");
        HttpResponse<String> made = execute(console, operator, "/console/services/" + serviceId + "/secret/issue", confirm);
        assertThat(location(made)).endsWith("/console/approvals");
        assertThat(made.body()).doesNotContain("api-secret");
        String maker = console.page("/console/approvals");
        long change = changes.latestChange("service-secret", loginId);
        String done = ok(changes.decide(approver(), changes.deviceOf(approverId), change, "approve"));
        assertThat(maker).doesNotContain("api-secret");
        Matcher secret = SECRET.matcher(done);
        assertThat(secret.find()).as(done).isTrue();
        return new Issued(secret.group(1), done);
    }

    private HttpResponse<String> execute(ConsoleClient console, TestTokenDevice operator, String path, String confirm) {
        return console.post(path, Map.of("transactionToken", formTokenOf(confirm),
                "otp", operator.codeAt(clock.advance(Duration.ofSeconds(60))), "_csrf", csrfOf(confirm)));
    }

    /** The default policy's fields with {@code changes}. */
    private static Map<String, String> policy(Map<String, String> changes) {
        Map<String, String> fields = new LinkedHashMap<>(Map.of("algorithm", "SHA256", "digits", "6", "stepSeconds", "60",
                "window", "1", "lockThreshold", "5", "activationValidityHours", "24", "revokeCoolingOffMinutes", "30",
                "otpAtLogin", "true", "transactionSigning", "TOTP_ONLY"));
        fields.putAll(changes);
        return fields;
    }

    private static String newServiceId() {
        return String.valueOf(70000000 + ConsoleChanges.serial());
    }

    private static String ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a page: %s", response.body()).isEqualTo(200);
        return response.body();
    }

    /** The relying party issues a token for {@code account} over REST; returns its ユーザID. */
    private String issueToken(String serviceId, String secret, String account, String activationPassword) throws Exception {
        HttpResponse<String> issued = api("POST", serviceId, secret, "/accounts/" + account + "/token",
                "{\"mailAddress\":\"" + account + "@example.jp\",\"activationPassword\":\"" + activationPassword + "\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        return JSON.readTree(issued.body()).get("userId").asString();
    }

    private HttpResponse<String> api(String method, String serviceId, String secret, String path, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/api/v1/services/" + serviceId + path)))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((serviceId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
