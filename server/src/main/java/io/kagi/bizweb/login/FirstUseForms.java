package io.kagi.bizweb.login;

import io.kagi.bizweb.portal.Fields;

import java.io.Serial;
import java.io.Serializable;

import org.springframework.validation.Errors;

/** The forms and the session ticket of ログインID取得 (first use). */
final class FirstUseForms {

    private FirstUseForms() {
    }

    /** BLGI002: the company's 代表口座 and the bank's 仮ログインパスワード. */
    record ContractForm(String branchCode, String accountType, String accountNumber, String temporaryPassword) {

        static ContractForm empty() {
            return new ContractForm("", "ORDINARY", "", "");
        }

        void validate(Errors errors) {
            Fields.branchCode(errors, "branchCode", branchCode);
            if (!"ORDINARY".equals(accountType) && !"CURRENT".equals(accountType)) {
                errors.rejectValue("accountType", "error.required");
            }
            Fields.accountNumber(errors, "accountNumber", accountNumber);
            Fields.required(errors, "temporaryPassword", temporaryPassword);
        }

        @Override
        public String toString() {
            return "ContractForm[branchCode=" + branchCode + ", accountType=" + accountType + ", (account number and password hidden)]";
        }
    }

    /** BLGI003: the master user's name, mail address, login ID and login password. */
    record MasterUserForm(String displayName, String mailAddress, String mailAddressConfirmation, String loginId,
                          String password, String passwordConfirmation, String transactionToken) {

        static MasterUserForm empty() {
            return new MasterUserForm("", "", "", "", "", "", "");
        }

        void validate(Errors errors) {
            Fields.maxLength(errors, "displayName", displayName, 30);
            Fields.mailAddress(errors, "mailAddress", mailAddress);
            Fields.confirmation(errors, "mailAddressConfirmation", mailAddressConfirmation, "mailAddress", mailAddress);
            Fields.loginId(errors, "loginId", loginId);
            Fields.loginPassword(errors, "password", password, loginId);
            Fields.confirmation(errors, "passwordConfirmation", passwordConfirmation, "password", password);
        }

        @Override
        public String toString() {
            return "MasterUserForm[loginId=" + loginId + ", (passwords hidden)]";
        }
    }

    /** In the session between BLGI002 and BLGI003: the company whose contract was proven. */
    record Ticket(long companyId, String companyName) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        static final String ATTRIBUTE = "kagi.bizweb.firstUse";
    }
}
