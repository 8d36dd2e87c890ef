package io.kagi.bizweb;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ログインID取得 does not tell which 代表口座 have a contract (issue 17): a contract waiting for first
 * use, one whose first use is done, and none at all get the same answers, in the same order —
 * wrong four times, then locked — each after one bcrypt check.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class FirstUseEnumerationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    @Test
    void unknownWaitingAndCompletedContractsGetTheSameAnswersAndLockAlike() {
        PortalTestData data = new PortalTestData(jdbc, passwordEncoder, clock);
        String waiting = data.company("株式会社まだ", "Temp0rary9").accountNumber();
        long master = data.masterUser("fuenum01", "fuenum2024pw", "済み");
        String completed = jdbc.sql("SELECT c.account_number FROM bizweb_company c JOIN bizweb_user u ON u.company_id = c.id WHERE u.id = :id")
                .param("id", master).query(String.class).single();
        String unknown = "9" + waiting.substring(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bizweb_company WHERE account_number = :n").param("n", unknown)
                .query(Integer.class).single()).isZero();

        List<String> forWaiting = answers(waiting);
        List<String> forCompleted = answers(completed);
        List<String> forUnknown = answers(unknown);

        assertThat(forWaiting.subList(0, 4)).allSatisfy(answer -> assertThat(answer).isEqualTo("wrong"));
        assertThat(forWaiting.subList(4, 6)).allSatisfy(answer -> assertThat(answer).isEqualTo("locked"));
        assertThat(forCompleted).isEqualTo(forWaiting);
        assertThat(forUnknown).isEqualTo(forWaiting);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bizweb_unknown_first_use WHERE contract_hash LIKE :n")
                .param("n", "%" + unknown + "%").query(Integer.class).single()).as("no account number in clear").isZero();
    }

    @Test
    void printsTheTimeOfAnAnswerForEachKindOfContract() {
        PortalTestData data = new PortalTestData(jdbc, passwordEncoder, clock);
        String waiting = data.company("株式会社計時", "Temp0rary9").accountNumber();
        long master = data.masterUser("fuenum02", "fuenum2024pw", "計時");
        String completed = jdbc.sql("SELECT c.account_number FROM bizweb_company c JOIN bizweb_user u ON u.company_id = c.id WHERE u.id = :id")
                .param("id", master).query(String.class).single();
        String unknown = "8" + waiting.substring(1);
        Map<String, String> kinds = Map.of("waiting", waiting, "completed", completed, "unknown", unknown);
        StringBuilder figures = new StringBuilder();
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            PortalClient client = new PortalClient(url(""));
            long[] nanos = new long[3];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                attempt(client, kind.getValue());
                nanos[i] = System.nanoTime() - start;
            }
            figures.append(String.format(Locale.ROOT, " %s %.0f/%.0f/%.0f ms;", kind.getKey(), nanos[0] / 1e6,
                    nanos[1] / 1e6, nanos[2] / 1e6));
        }
        System.out.println("MEASURED first use, three wrong attempts each:" + figures);
    }

    @Test
    void aFirstUseLockEndsAfterThirtyMinutesForKnownAndUnknownContractsAlike() {
        PortalTestData data = new PortalTestData(jdbc, passwordEncoder, clock);
        String waiting = data.company("株式会社待機", "Temp0rary9").accountNumber();
        String unknown = "7" + waiting.substring(1);
        assertThat(answers(waiting).get(5)).isEqualTo("locked");
        assertThat(answers(unknown).get(5)).isEqualTo("locked");
        PortalClient client = new PortalClient(url(""));
        assertThat(client.submit("/bizweb/first-use", Map.of("branchCode", "101", "accountType", "ORDINARY",
                "accountNumber", waiting, "temporaryPassword", "Temp0rary9")).body()).contains("ログインID取得を停止しています");

        clock.advance(java.time.Duration.ofMinutes(30));

        assertThat(answers(unknown).subList(0, 4)).allSatisfy(answer -> assertThat(answer).isEqualTo("wrong"));
        HttpResponse<String> proven = new PortalClient(url("")).submit("/bizweb/first-use", Map.of("branchCode", "101",
                "accountType", "ORDINARY", "accountNumber", waiting, "temporaryPassword", "Temp0rary9"));
        assertThat(proven.statusCode()).as(proven.body()).isEqualTo(302);
        assertThat(PortalClient.location(proven)).endsWith("/bizweb/first-use/user");
    }

    /** Six wrong attempts for this 代表口座, each answered "wrong" or "locked". */
    private List<String> answers(String accountNumber) {
        PortalClient client = new PortalClient(url(""));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String page = attempt(client, accountNumber).body();
            boolean locked = page.contains("ログインID取得を停止しています");
            boolean wrong = page.contains("代表口座または仮ログインパスワードが正しくありません");
            assertThat(locked ^ wrong).as(page).isTrue();
            answers.add(locked ? "locked" : "wrong");
        }
        return answers;
    }

    private HttpResponse<String> attempt(PortalClient client, String accountNumber) {
        return client.submit("/bizweb/first-use", Map.of("branchCode", "101", "accountType", "ORDINARY",
                "accountNumber", accountNumber, "temporaryPassword", "Wr0ngTemp99"));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
