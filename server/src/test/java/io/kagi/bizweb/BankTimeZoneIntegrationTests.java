package io.kagi.bizweb;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.Tokens;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times a person reads are in the bank's zone (Asia/Tokyo by default) on a server whose JVM runs in
 * UTC, as on most hosts and containers: ELG016's cooling-off end once came out in UTC ("21:29 以降"
 * while the mail said 06:29 the next morning).
 */
@KagiIntegrationTest
@Import(PortalTestData.ClockConfig.class)
class BankTimeZoneIntegrationTests {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static TimeZone jvmZone;

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

    private PortalTestData data;

    @BeforeAll
    static void runTheJvmInUtc() {
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @AfterAll
    static void restoreTheJvmZone() {
        TimeZone.setDefault(jvmZone);
    }

    @BeforeEach
    void setUp() {
        data = new PortalTestData(jdbc, passwordEncoder, clock);
    }

    @Autowired
    CustomerAdministration customers;

    @Test
    void theCoolingOffEndOnTheIssuancePageAndTheRevocationMailAreInTokyoTime() {
        String baseUrl = "http://localhost:" + port;
        long userId = data.masterUser("tzone001", "tzone2024pw", "時刻一郎");
        TestTokenDevice device = PortalTestData.activeToken(tokens, baseUrl, userId);
        PortalClient portal = new PortalClient(baseUrl).logInWithOtp("tzone001", "tzone2024pw", device, clock);
        Instant revokedAt = clock.instant();
        tokens.revoke(PortalTestData.PORTAL, new AccountRef("bizweb-user:" + userId), new ClientInfo("test", "127.0.0.1"));
        customers.allowTokenReissue(userId, "operator01", "127.0.0.1");

        String page = portal.get("/bizweb/token/issue").body();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("transactionToken", PortalClient.transactionToken(page));
        form.put("mailAddress", "tzone001@example.jp");
        form.put("mailAddressConfirmation", "tzone001@example.jp");
        form.put("activationPassword", "2468");
        form.put("activationPasswordConfirmation", "2468");
        String refused = portal.submit("/bizweb/token/issue", form).body();

        Instant coolingOffEnd = revokedAt.plus(Duration.ofMinutes(30));
        String tokyo = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm").format(coolingOffEnd.atZone(TOKYO));
        String utc = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm").format(coolingOffEnd.atZone(ZoneId.of("UTC")));
        assertThat(refused).contains(tokyo + " 以降").doesNotContain(utc);

        String mail = jdbc.sql("SELECT body FROM mail_outbox WHERE kind = 'token-revoked' AND recipient = :to")
                .param("to", "phone" + userId + "@example.jp").query(String.class).single();
        assertThat(mail).contains(DateTimeFormatter.ofPattern("yyyy年M月d日 H時mm分").format(revokedAt.atZone(TOKYO)));
    }
}
