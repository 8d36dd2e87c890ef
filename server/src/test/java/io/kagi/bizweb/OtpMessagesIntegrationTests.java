package io.kagi.bizweb;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** What the portal says after a refused one-time password (issue 20): the tries left, and "wait for the next code". */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class OtpMessagesIntegrationTests extends PortalTestSupport {

    @Override
    String prefixLetter() {
        return "o";
    }
    long master;
    long general;
    TestTokenDevice device;

    @BeforeEach
    void setUp() {
        master = data.masterUser(prefix + "m1", "master2024pw", "マスター");
        general = data.colleague(master, prefix + "g1", "general2024", "一般", "GENERAL", false);
        device = PortalTestData.activeToken(tokens, url(""), master);
    }

    @Test
    void aWrongCodeAtTheOtpLoginSaysHowManyTriesAreLeft() {
        PortalClient portal = new PortalClient(url(""));
        assertThat(PortalClient.location(portal.logIn(prefix + "m1", "master2024pw"))).endsWith("/bizweb/otp");

        String first = sendOtp(portal, wrong()).body();
        String second = sendOtp(portal, wrong()).body();

        assertThat(first).contains("ワンタイムパスワードが正しくありません", "あと4回誤るとトークンが利用停止になります");
        assertThat(second).contains("あと3回誤ると");
    }

    @Test
    void aCodeUsedAMomentAgoIsAnsweredWaitForTheNextCodeAndIsNotCounted() {
        clock.advance(Duration.ofSeconds(60));
        String code = device.codeAt(clock.instant());
        PortalClient before = new PortalClient(url(""));
        before.logIn(prefix + "m1", "master2024pw");
        assertThat(PortalClient.location(sendOtp(before, code))).endsWith("/bizweb/top");

        PortalClient again = new PortalClient(url(""));
        again.logIn(prefix + "m1", "master2024pw");
        String answer = sendOtp(again, code).body();

        assertThat(answer).contains("このワンタイムパスワードは使用済みです", "次のワンタイムパスワードが表示されるまで")
                .doesNotContain("正しくありません");
        assertThat(jdbc.sql("""
                        SELECT t.consecutive_failures FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                        WHERE a.account_ref = :ref AND t.state = 'ACTIVE'""")
                .param("ref", "bizweb-user:" + master).query(Integer.class).single()).isZero();
        clock.advance(Duration.ofSeconds(60));
        assertThat(PortalClient.location(sendOtp(again, device.codeAt(clock.instant())))).endsWith("/bizweb/top");
    }

    @Test
    void aWrongCodeOnAConfirmScreenSaysHowManyTriesAreLeft() {
        PortalClient portal = new PortalClient(url("")).logInWithOtp(prefix + "m1", "master2024pw", device, clock);
        String page = portal.confirmPage("/bizweb/users/" + general + "/confirm", Map.of("operation", "LOCK_LOGIN"));

        HttpResponse<String> answer = portal.submit("/bizweb/users/execute", Map.of("operation", "LOCK_LOGIN",
                "targetId", String.valueOf(general), "transactionToken", PortalClient.transactionToken(page), "otp", wrong()));

        assertThat(answer.body()).contains("BUSR003", "あと4回誤るとトークンが利用停止になります");
    }

    private HttpResponse<String> sendOtp(PortalClient portal, String code) {
        String page = portal.get("/bizweb/otp").body();
        return portal.submit("/bizweb/otp", Map.of("transactionToken", PortalClient.transactionToken(page), "otp", code));
    }

    private String wrong() {
        String right = device.codeAt(clock.instant());
        return right.equals("000000") ? "000001" : "000000";
    }

}
