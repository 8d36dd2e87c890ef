package io.kagi.authority;

import static io.kagi.authority.AuthorityTestSupport.PORTAL;
import static io.kagi.authority.AuthorityTestSupport.issue;
import static io.kagi.authority.AuthorityTestSupport.newService;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.kagi.otp.Base32;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The seed never crosses the network and is never stored in clear; the activation password is
 * stored nowhere. Records the JSON bodies of a real exchange and reads every row the authority,
 * the audit log and the mail outbox hold.
 */
@KagiIntegrationTest
@Import(AuthorityTestSupport.ClockConfig.class)
class ActivationRecordingIntegrationTests {

    private static final String PASSWORD = "90817263";

    @LocalServerPort
    int port;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theSeedIsNotInTheRecordedExchangeNorInClearInTheDatabase() {
        ServiceId service = newService(services, ServicePolicy.defaults());
        AccountRef account = new AccountRef("hanako02");
        IssueResult.Issued issued = issue(tokens, service, account, PASSWORD);
        String afterIssue = everyStoredValue();

        TestTokenDevice device = TestTokenDevice.activate("http://localhost:" + port, service.digits(),
                issued.userId().digits(), PASSWORD);
        tokens.verify(service, account, device.codeAt(clock.instant()), PORTAL);

        byte[] seed = device.seed();
        List<String> forms = seedForms(seed);
        String recording = String.join("\n", device.transcript());
        assertThat(device.transcript()).hasSize(4);
        assertThat(recording).contains("\"A\"", "\"B\"", "\"M1\"", "\"M2\"", "\"salt\"");
        for (String form : forms) {
            assertThat(recording).as("the recorded exchange").doesNotContainIgnoringCase(form);
        }
        assertThat(recording).doesNotContain(PASSWORD);

        String stored = everyStoredValue();
        for (String form : forms) {
            assertThat(stored).as("the stored rows").doesNotContainIgnoringCase(form);
        }
        assertThat(afterIssue).as("the rows while the token waits for activation").doesNotContain(PASSWORD);
        assertThat(stored).as("the rows after activation").doesNotContain(PASSWORD);
        assertThat(jdbc.sql("""
                        SELECT t.seed_sealed FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                        WHERE a.user_id = :user""").param("user", issued.userId().digits()).query(String.class).single())
                .as("the seed is stored sealed under a key id").matches("[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+");
        assertThat(jdbc.sql("""
                        SELECT COUNT(*) FROM authority_token t JOIN authority_account a ON a.id = t.account_fk
                        WHERE a.user_id = :user AND t.srp_salt IS NULL AND t.srp_verifier_sealed IS NULL""")
                .param("user", issued.userId().digits()).query(Long.class).single())
                .as("salt and verifier are deleted on activation").isEqualTo(1);
    }

    /** The seed as hex, Base32, Base64 and Base64url, and as raw bytes read as text. */
    private static List<String> seedForms(byte[] seed) {
        List<String> forms = new ArrayList<>();
        forms.add(HexFormat.of().formatHex(seed));
        forms.add(Base32.encodeWithoutPadding(seed));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(seed));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(seed));
        forms.add(new String(seed, StandardCharsets.ISO_8859_1));
        return forms;
    }

    /** Every value of every row of the authority's tables, the audit log and the mail outbox. */
    private String everyStoredValue() {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("authority_service", "authority_account", "authority_token",
                "authority_activation_session", "authority_rate_bucket", "audit_event", "mail_outbox")) {
            for (Map<String, Object> row : jdbc.sql("SELECT * FROM " + table).query().listOfRows()) {
                row.values().stream().filter(Objects::nonNull).forEach(value -> all.append(value).append('\n'));
            }
        }
        return all.toString();
    }
}
