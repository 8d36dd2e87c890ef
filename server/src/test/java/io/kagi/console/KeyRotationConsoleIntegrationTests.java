package io.kagi.console;

import static io.kagi.console.ConsoleClient.csrfOf;
import static io.kagi.console.ConsoleClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.kagi.platform.KeyRingsForTests;
import io.kagi.platform.SealedColumn;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * CKEY001 鍵: a supervisor sees how many values each key seals, starts a re-seal, and reads that
 * the old key can now be removed from the ring; an operator of another role may not open it.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
@TestPropertySource(properties = {
        "kagi.keys.ring=" + KeyRotationConsoleIntegrationTests.OLD_KEY + "," + KeyRotationConsoleIntegrationTests.NEW_KEY,
        "kagi.keys.active=rotated-b",
        "kagi.keys.reseal-initial-delay=PT1H"})
class KeyRotationConsoleIntegrationTests extends ConsoleChangeTestSupport {

    static final String OLD_KEY = "old-a=AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=";
    static final String NEW_KEY = "rotated-b=BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=";

    @Autowired
    List<SealedColumn> columns;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aSupervisorStartsTheReSealAndReadsThatTheOldKeyCanBeRemoved() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "keys" + ConsoleChanges.serial();
        changes.supervisor(console, loginId);
        // The supervisor's own token (and any other) sealed under the old key, as before a rotation.
        KeyRingsForTests.resealing(jdbc, transactions, KeyRingsForTests.secrets(OLD_KEY + "," + NEW_KEY, "old-a"),
                columns, 50).resealAll();

        String before = console.page("/console/keys");
        assertThat(before).contains("CKEY001", "rotated-b", "有効（新しい値を暗号化）", "authority_token.seed_sealed");
        assertThat(row(before, "old-a")).contains("旧鍵", "再暗号化の完了待ち").doesNotContain("外せます");
        assertThat(row(before, "rotated-b")).contains("<td class=\"count\">0</td>");

        HttpResponse<String> resealed = console.post("/console/keys/reseal", Map.of("_csrf", csrfOf(before)));
        assertThat(location(resealed)).endsWith("/console/keys");
        String after = console.page("/console/keys");
        assertThat(after).contains("再暗号化を実行しました。").containsPattern("移した値 [1-9][0-9]*件");
        assertThat(row(after, "old-a")).contains("<td class=\"count\">0</td>", "もう使われていません。鍵リング");
        assertThat(changes.auditRows("KEYS_RESEALED", "operator:" + loginId)).isEqualTo(1);
    }

    @Test
    void anOperatorWhoIsNoSupervisorMayNotOpenTheKeysPage() {
        ConsoleClient console = new ConsoleClient(url(""));
        String loginId = "keysop" + ConsoleChanges.serial();
        long id = data.operator(loginId, "console-pass-" + loginId, "OPERATOR");
        console.logInWithOtp(loginId, "console-pass-" + loginId, ConsoleTestData.operatorToken(tokens, url(""), id), clock);

        assertThat(console.get("/console/keys").statusCode()).isEqualTo(403);
        assertThat(console.page("/console")).doesNotContain("/console/keys");
    }

    private static String row(String page, String keyId) {
        int start = page.indexOf("data-key=\"" + keyId + "\"");
        assertThat(start).as("row of " + keyId).isPositive();
        return page.substring(start, page.indexOf("</tr>", start));
    }
}
