package io.kagi.console;

import io.kagi.confirmation.Execution;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.CompanyCreation;
import io.kagi.bizweb.CustomerAdministration.NewCompany;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Contracts (CCMP): creating a company with its 代表口座 after a confirm screen and a fresh OTP. The
 * confirmed contract is held on the server; the company, its audit row ({@code COMPANY_CREATED})
 * and the use of the form and the code commit together or not at all.
 */
@Service
public class Companies {

    static final String CREATE = "company-create";

    private final CustomerAdministration customers;
    private final OperatorConfirmations confirmations;

    Companies(CustomerAdministration customers, OperatorConfirmations confirmations) {
        this.customers = customers;
        this.confirmations = confirmations;
    }

    /** Holds {@code company} for the confirm screen (CCMP003); returns its form token. */
    public String holdCreation(OperatorAccount operator, String address, NewCompany company) {
        return confirmations.hold(operator, address, CREATE, company);
    }

    /** Creates the confirmed company, once; {@link CompanyCreation.AccountTaken} when its 代表口座 was registered meanwhile. */
    @Transactional
    public Execution<NewCompany, CompanyCreation> create(OperatorAccount operator, String address, String formToken,
                                                         String code) {
        return confirmations.carryOut(operator, address, CREATE, formToken, code, NewCompany.class,
                company -> customers.createCompany(company, operator.actor(), address));
    }
}
