package io.kagi.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.kagi.certificates.ClientCertificates;
import io.kagi.certificates.TestCertificates;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bank operator revokes a customer's client certificate: CUSR003 lists it, a supervisor confirms on CUSR002
 * with a fresh OTP, the record is revoked by the bank (CESSATION_OF_OPERATION) with its audit row, once.
 */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class CertificateRevocationConsoleIntegrationTests extends ConsoleChangeTestSupport {

    @Autowired
    ClientCertificates certificates;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aSupervisorRevokesACustomersCertificateWithAFreshCode() {
        long user = data.masterUser("crtcon01", "Password-1");
        long company = jdbc.sql("SELECT company_id FROM bizweb_user WHERE id = :id").param("id", user).query(Long.class).single();
        KeyPair keys = TestCertificates.ecKeyPair();
        ClientCertificates.CheckedRequest request = ((ClientCertificates.Parsed.Valid) certificates
                .parse(TestCertificates.csr(keys, "crtcon01", keys), "crtcon01")).request();
        String serial = transactions.execute(status -> certificates.issue(
                new ClientCertificates.Holder(user, company, "株式会社検証", "crtcon01"), request, Optional.empty(),
                "crtcon01", "127.0.0.1")).serial();

        long supervisor = data.operator("crtsup01", "Operator-pass-1", "SUPERVISOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), supervisor);
        ConsoleClient console = new ConsoleClient(url(""));
        console.logInWithOtp("crtsup01", "Operator-pass-1", device, clock);

        assertThat(console.page("/console/users/" + user)).contains("id=\"certificates\"").contains(serial);
        String confirm = console.page("/console/users/action/certificate?user=" + user + "&serial=" + serial);
        assertThat(confirm).contains("CUSR002").contains(serial);
        String code = device.codeAt(clock.advance(Duration.ofSeconds(60)));
        Map<String, String> form = Map.of("otp", code, "transactionToken", ConsoleClient.formTokenOf(confirm));
        assertThat(ConsoleClient.location(console.submit("/console/users/action/certificate", confirm, form)))
                .endsWith("/console/users/" + user);
        console.submit("/console/users/action/certificate", confirm, form);

        assertThat(certificates.find(serial).orElseThrow().revocationReason()).isEqualTo("CESSATION_OF_OPERATION");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE type = 'CERTIFICATE_REVOKED' AND subject = 'user:crtcon01'")
                .query(Long.class).single()).isEqualTo(1);
        assertThat(console.page("/console/users/" + user)).doesNotContain(serial);
    }
}
