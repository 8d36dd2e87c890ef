package io.kagi.console.web;

import java.time.Instant;

import io.kagi.bizweb.CustomerAdministration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Records holding a contract's 口座番号 never print it (logs, exception messages, debugger views). */
class AccountNumbersOutOfToStringTests {

    private static final String ACCOUNT_NUMBER = "7654321";

    @Test
    void theNewContractFormHidesTheAccountNumber() {
        assertThat(new CompanyController.CompanyForm("株式会社例", "101", "ORDINARY", ACCOUNT_NUMBER).toString())
                .contains("株式会社例").doesNotContain(ACCOUNT_NUMBER);
    }

    @Test
    void theContractToCreateHidesTheAccountNumber() {
        assertThat(new CustomerAdministration.NewCompany("株式会社例", "101", "ORDINARY", ACCOUNT_NUMBER).toString())
                .contains("株式会社例").doesNotContain(ACCOUNT_NUMBER);
    }

    @Test
    void aListedContractAndItsCreationHideTheAccountNumber() {
        CustomerAdministration.Company company = new CustomerAdministration.Company(7, "株式会社例", "101", "ORDINARY",
                ACCOUNT_NUMBER, false, false, Instant.EPOCH, null);

        assertThat(company.toString()).contains("株式会社例").doesNotContain(ACCOUNT_NUMBER);
        assertThat(new CustomerAdministration.CompanyCreation.Created(company, "temporary-1").toString())
                .doesNotContain(ACCOUNT_NUMBER).doesNotContain("temporary-1");
    }
}
