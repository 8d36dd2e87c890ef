package io.kagi.bizweb;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.Tokens;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding a second factor (docs/security.md, T16): who is told when a portal user's token is issued
 * or changes, and who must allow a new token after a revocation.
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class SecondFactorBindingIntegrationTests {

    private static final AtomicInteger SERIAL = new AtomicInteger();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    MutableClock clock;

    @Autowired
    Tokens tokens;

    @Autowired
    CustomerAdministration customers;

    PortalTestData data;
    String prefix;
    long master;
    long general;

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
        prefix = "b" + SERIAL.incrementAndGet() + "x";
        master = data.masterUser(prefix + "m1", "master2024pw", "マスター");
        general = data.colleague(master, prefix + "g1", "general2024", "一般", "GENERAL", false);
    }

    @Test
    void anIssuanceWithAPhishedPasswordIsToldToTheUsersAddressOfRecordAndToTheMaster() {
        PortalClient phisher = new PortalClient(url(""));
        assertThat(PortalClient.location(phisher.logIn(prefix + "g1", "general2024"))).endsWith("/bizweb/token/issue");

        issue(phisher, "phisher@evil.example");

        assertThat(subjects("phisher@evil.example")).singleElement().asString().contains("トークン発行のお知らせ");
        assertThat(bodies(prefix + "g1@example.jp")).singleElement().asString()
                .contains(prefix + "g1", "トークンが発行されました", "p******@evil.example");
        assertThat(bodies(prefix + "m1@example.jp")).singleElement().asString()
                .contains(prefix + "g1", "トークンが発行されました");
    }

    @Test
    void activationLockUnlockAndRevocationAreToldToTheUserAndTheMasterToo() {
        TestTokenDevice device = PortalTestData.activeToken(tokens, url(""), general);
        AccountRef account = new AccountRef("bizweb-user:" + general);
        for (int wrong = 0; wrong < 5; wrong++) {
            tokens.verify(PortalTestData.PORTAL, account, "000000".equals(device.codeAt(clock.instant())) ? "111111" : "000000",
                    new ClientInfo("test", "127.0.0.1"));
        }
        tokens.unlock(PortalTestData.PORTAL, account, new ClientInfo("test", "127.0.0.1"));
        tokens.revoke(PortalTestData.PORTAL, account, new ClientInfo("test", "127.0.0.1"));

        for (String recipient : List.of(prefix + "g1@example.jp", prefix + "m1@example.jp")) {
            assertThat(String.join("\n", bodies(recipient))).contains("トークンが発行されました", "利用開始されました",
                    "利用停止になりました", "利用停止が解除されました", "トークンが失効しました");
        }
    }

    @Test
    void aRevokedTokenIsIssuedAgainOnlyAfterAnAdministratorOrTheBankAllowedIt() {
        PortalClient user = new PortalClient(url(""));
        assertThat(PortalClient.location(user.logIn(prefix + "g1", "general2024"))).endsWith("/bizweb/token/issue");
        issue(user, "first@example.jp");
        String openedBeforeTheRevocation = user.get("/bizweb/token/issue").body();
        tokens.revoke(PortalTestData.PORTAL, new AccountRef("bizweb-user:" + general), new ClientInfo("test", "127.0.0.1"));

        String held = user.get("/bizweb/token/issue").body();
        assertThat(held).contains("id=\"reissue-held\"", "トークン再発行の許可").doesNotContain("name=\"transactionToken\"");
        HttpResponse<String> refused = user.submit("/bizweb/token/issue", Map.of(
                "transactionToken", PortalClient.transactionToken(openedBeforeTheRevocation), "mailAddress", "again@example.jp",
                "mailAddressConfirmation", "again@example.jp", "activationPassword", "12345678",
                "activationPasswordConfirmation", "12345678"));
        assertThat(PortalClient.location(refused)).endsWith("/bizweb/token/issue");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM authority_token WHERE mail_address = 'again@example.jp'")
                .query(Integer.class).single()).isZero();

        assertThat(customers.allowTokenReissue(general, "operator01", "127.0.0.1")).isTrue();
        assertThat(customers.allowTokenReissue(general, "operator01", "127.0.0.1")).isFalse();
        assertThat(String.join("\n", bodies(prefix + "m1@example.jp"))).contains("再発行が許可されました");

        clock.advance(Duration.ofMinutes(31));
        PortalClient later = new PortalClient(url(""));
        assertThat(PortalClient.location(later.logIn(prefix + "g1", "general2024"))).endsWith("/bizweb/token/issue");
        issue(later, "again@example.jp");
        assertThat(subjects("again@example.jp")).singleElement().asString().contains("トークン発行のお知らせ");
    }

    private void issue(PortalClient portal, String mail) {
        String page = portal.get("/bizweb/token/issue").body();
        HttpResponse<String> answer = portal.submit("/bizweb/token/issue", Map.of(
                "transactionToken", PortalClient.transactionToken(page), "mailAddress", mail,
                "mailAddressConfirmation", mail, "activationPassword", "12345678",
                "activationPasswordConfirmation", "12345678"));
        assertThat(PortalClient.location(answer)).endsWith("/bizweb/token/confirm");
    }

    private List<String> subjects(String recipient) {
        return jdbc.sql("SELECT subject FROM mail_outbox WHERE recipient = :recipient ORDER BY id")
                .param("recipient", recipient).query(String.class).list();
    }

    private List<String> bodies(String recipient) {
        return jdbc.sql("SELECT body FROM mail_outbox WHERE recipient = :recipient AND kind = 'token-changed' ORDER BY id")
                .param("recipient", recipient).query(String.class).list();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
