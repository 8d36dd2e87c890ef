package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.util.Optional;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.CompanyCreation;
import io.kagi.bizweb.CustomerAdministration.NewCompany;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Contracts (CCMP): creating a company with its 代表口座, and the support work on one (renaming it,
 * suspending and resuming it, a new 仮ログインパスワード for a first use that is locked or whose letter
 * was lost), each after a confirm screen and a fresh OTP. The confirmed operation is held on the
 * server; the change, its audit row ({@code COMPANY_CREATED}, {@code COMPANY_RENAMED},
 * {@code COMPANY_SUSPENDED}, {@code COMPANY_RESUMED}, {@code FIRST_USE_PASSWORD_REISSUED}) and the use
 * of the form and the code commit together or not at all.
 */
@Service
public class Companies {

    static final String CREATE = "company-create";
    static final String CHANGE = "company-change";

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

    /** The support changes of a company (CCMP005). */
    public enum Action { RENAME, SUSPEND, RESUME, NEW_FIRST_USE_PASSWORD }

    /**
     * A change of company {@code companyId} as confirmed; for {@link Action#RENAME} the name the
     * operator saw ({@code expectedName}) and the new one.
     */
    public record CompanyChange(long companyId, Action action, String expectedName, String name) {
        public CompanyChange {
            if (action == null) {
                throw new IllegalArgumentException("An action is required");
            }
            if (action == Action.RENAME && (expectedName == null || name == null || name.isBlank() || name.length() > 100)) {
                throw new IllegalArgumentException("A rename needs the name seen and a new name of 1 to 100 characters");
            }
        }
    }

    /**
     * What became of a change: {@code messageKey}, and for a new 仮ログインパスワード the password,
     * shown once ({@code temporaryPassword}, otherwise null).
     */
    public record CompanyChanged(String messageKey, String temporaryPassword) {
        @Override
        public String toString() {
            return "CompanyChanged[messageKey=" + messageKey + ", temporaryPassword="
                    + (temporaryPassword == null ? "none" : "(hidden)") + "]";
        }
    }

    public String holdChange(OperatorAccount operator, String address, CompanyChange change) {
        return confirmations.hold(operator, address, CHANGE, change);
    }

    /** Carries out the confirmed change, once; a target that changed meanwhile is an outcome ({@code ….false}). */
    @Transactional
    public Execution<CompanyChange, CompanyChanged> change(OperatorAccount operator, String address, String formToken,
                                                           String code) {
        return confirmations.carryOut(operator, address, CHANGE, formToken, code, CompanyChange.class, change -> {
            String actor = operator.actor();
            String outcome = "console.company.outcome." + change.action().name() + ".";
            return switch (change.action()) {
                case RENAME -> new CompanyChanged(outcome + customers.renameCompany(change.companyId(),
                        change.expectedName(), change.name(), actor, address), null);
                case SUSPEND -> new CompanyChanged(outcome + customers.suspendCompany(change.companyId(), true, actor,
                        address), null);
                case RESUME -> new CompanyChanged(outcome + customers.suspendCompany(change.companyId(), false, actor,
                        address), null);
                case NEW_FIRST_USE_PASSWORD -> {
                    Optional<String> password = customers.reissueFirstUsePassword(change.companyId(), actor, address);
                    yield new CompanyChanged(outcome + password.isPresent(), password.orElse(null));
                }
            };
        });
    }
}
