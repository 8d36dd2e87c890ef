package io.kagi.bizweb.payees;

import io.kagi.platform.BankAccounts;
import io.kagi.bizweb.portal.Fields;

import org.springframework.validation.Errors;

/**
 * The forms of 振込先管理. BPAY002's input is validated on its way to BPAY003; what BPAY003 confirms is
 * then held on the server ({@link Payees.PayeeChange}), so the execute step reads only the code.
 */
final class PayeeForms {

    private PayeeForms() {
    }

    /** What a confirm screen asks to do with a payee. */
    public enum PayeeOperation { REGISTER, CHANGE, DELETE }

    /** BPAY002/BPAY003: a payee to register, change ({@code id}, {@code version}) or delete. */
    public record PayeeForm(String operation, Long id, Integer version, String bankCode, String branchCode, String accountType,
                     String accountNumber, String holderName, String otp, String transactionToken) {

        public static PayeeForm empty() {
            return new PayeeForm(PayeeOperation.REGISTER.name(), null, null, "", "", "ORDINARY", "", "", "", "");
        }

        public PayeeOperation op() {
            try {
                return operation == null ? PayeeOperation.REGISTER : PayeeOperation.valueOf(operation);
            } catch (IllegalArgumentException unknown) {
                return PayeeOperation.REGISTER;
            }
        }

        public void validate(Errors errors) {
            Fields.bankCode(errors, "bankCode", bankCode);
            Fields.branchCode(errors, "branchCode", branchCode);
            Fields.accountType(errors, "accountType", accountType);
            Fields.accountNumber(errors, "accountNumber", accountNumber);
            Fields.holderName(errors, "holderName", holderName);
        }

        @Override
        public String toString() {
            return "PayeeForm[operation=" + operation + ", id=" + id + ", account=" + BankAccounts.masked(accountNumber)
                    + ", (code hidden)]";
        }
    }
}
