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
 * rotate with its grace period; change the policy; suspend and resume. Nothing is read from or
 * written to the database but the audit rows the test checks afterwards.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class RelyingPartyConsoleIntegrationTests extends ConsoleChangeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET = Pattern.compile("id=\"api-secret\">([A-Za-z0-9_-]{43})<");
    private final HttpClient http = HttpClient.newHttpClient();

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

        String secret = issueSecret(console, operator, serviceId).secret;
        assertThat(console.page("/console/services/" + serviceId)).doesNotContain(secret).contains("発行済");

        TestTokenDevice phone = TestTokenDevice.activate(url(""), serviceId,
                issueToken(serviceId, secret, "customer-1", "9753"), "9753");
        assertThat(phone.serviceName()).isEqualTo("かぎ証券オンライン");
        HttpResponse<String> verified = api("POST", serviceId, secret, "/accounts/customer-1/token/verify",
                "{\"code\":\"" + phone.codeAt(clock.advance(Duration.ofSeconds(60))) + "\"}");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(JSON.readTree(verified.body()).get("result").asString()).isEqualTo("accepted");

        assertThat(changes.auditRows("SERVICE_REGISTERED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.auditRows("SERVICE_API_SECRET_CHANGED", "operator:" + loginId)).isEqualTo(1);
        assertThat(changes.count("SELECT COUNT(*) FROM audit_event WHERE details LIKE ? OR subject LIKE ?",
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
        String first = issueSecret(console, operator, serviceId).secret;

        Issued rotated = issueSecret(console, operator, serviceId);
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
    void aSecretFormSentTwiceIssuesOneSecretAndARotationConfirmedAgainstAnOlderSecretIsNotCarriedOut() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();
        register(console, operator, serviceId, "二重送信テスト");
        String detail = console.page("/console/services/" + serviceId);
        String firstConfirm = ok(console.submit("/console/services/" + serviceId + "/secret/confirm", detail, Map.of()));
        String secondConfirm = ok(console.submit("/console/services/" + serviceId + "/secret/confirm", detail, Map.of()));

        String code = operator.codeAt(clock.advance(Duration.ofSeconds(60)));
        Map<String, String> send = Map.of("transactionToken", formTokenOf(firstConfirm), "otp", code,
                "_csrf", csrfOf(firstConfirm));
        assertThat(console.post("/console/services/" + serviceId + "/secret/issue", send).body()).contains("CSRV008");
        assertThat(location(console.post("/console/services/" + serviceId + "/secret/issue", send))).endsWith("?alreadyDone");

        HttpResponse<String> overtaken = console.post("/console/services/" + serviceId + "/secret/issue", Map.of(
                "transactionToken", formTokenOf(secondConfirm), "otp", operator.codeAt(clock.advance(Duration.ofSeconds(60))),
                "_csrf", csrfOf(secondConfirm)));
        assertThat(location(overtaken)).endsWith("/console/services/" + serviceId);
        assertThat(changes.auditRows("SERVICE_API_SECRET_CHANGED", "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void aPolicyChangeGivesNewTokensTheNewRulesAndAChangeConfirmedAgainstAnOlderPolicyIsNotCarriedOut() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();
        register(console, operator, serviceId, "方式変更テスト");
        String secret = issueSecret(console, operator, serviceId).secret;

        HttpResponse<String> unchanged = console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of()));
        assertThat(unchanged.body()).contains("CSRV005", "変更された項目がありません。");
        String eight = ok(console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of("digits", "8", "algorithm", "SHA1"))));
        assertThat(eight).contains("CSRV006", "6 → 8", "SHA256 → SHA1");
        String seven = ok(console.submit("/console/services/" + serviceId + "/policy/confirm",
                console.page("/console/services/" + serviceId + "/policy"), policy(Map.of("digits", "7"))));

        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/policy/change", eight)))
                .endsWith("/console/services/" + serviceId);
        assertThat(location(execute(console, operator, "/console/services/" + serviceId + "/policy/change", seven)))
                .endsWith("/console/services/" + serviceId);
        assertThat(changes.auditRows("SERVICE_POLICY_CHANGED", "operator:" + loginId)).isEqualTo(1);

        TestTokenDevice phone = TestTokenDevice.activate(url(""), serviceId,
                issueToken(serviceId, secret, "customer-8", "2468"), "2468");
        assertThat(phone.parameters().digits()).isEqualTo(8);
        assertThat(phone.parameters().algorithm()).isEqualTo("SHA1");
    }

    @Test
    void aSuspendedServiceIsRefusedWith403UntilResumedAndTheBuiltInServicesCannotBeSuspended() throws Exception {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "rp" + ConsoleChanges.serial();
        TestTokenDevice operator = changes.supervisor(console, loginId);
        String serviceId = newServiceId();
        register(console, operator, serviceId, "停止テスト");
        String secret = issueSecret(console, operator, serviceId).secret;
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

    private Issued issueSecret(ConsoleClient console, TestTokenDevice operator, String serviceId) {
        String confirm = ok(console.submit("/console/services/" + serviceId + "/secret/confirm",
                console.page("/console/services/" + serviceId), Map.of()));
        assertThat(confirm).contains("CSRV007");
        String done = ok(execute(console, operator, "/console/services/" + serviceId + "/secret/issue", confirm));
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
                "otpAtLogin", "true"));
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
