package io.kagi.bizweb.web;

import java.time.LocalDate;

import org.springframework.validation.Errors;

/**
 * The forms of the work that needs an OTP. Each form travels input → confirm (as hidden fields) →
 * execute, and is validated again at execute: the confirm screen's hidden fields are never trusted.
 * The one-time password of the confirm screen and the transaction token ride along.
 */
final class WorkForms {

    private WorkForms() {
    }

    /** What a confirm screen asks to do with a payee. */
    enum PayeeOperation { REGISTER, CHANGE, DELETE }

    /** BPAY002/BPAY003: a payee to register, change ({@code id}, {@code version}) or delete. */
    record PayeeForm(String operation, Long id, Integer version, String bankCode, String branchCode, String accountType,
                     String accountNumber, String holderName, String otp, String transactionToken) {

        static PayeeForm empty() {
            return new PayeeForm(PayeeOperation.REGISTER.name(), null, null, "", "", "ORDINARY", "", "", "", "");
        }

        public PayeeOperation op() {
            try {
                return operation == null ? PayeeOperation.REGISTER : PayeeOperation.valueOf(operation);
            } catch (IllegalArgumentException unknown) {
                return PayeeOperation.REGISTER;
            }
        }

        void validate(Errors errors) {
            Fields.digits(errors, "bankCode", bankCode, 4);
            Fields.digits(errors, "branchCode", branchCode, 3);
            Fields.accountType(errors, "accountType", accountType);
            Fields.digits(errors, "accountNumber", accountNumber, 7);
            Fields.holderName(errors, "holderName", holderName);
        }

        @Override
        public String toString() {
            return "PayeeForm[operation=" + operation + ", id=" + id + ", account=" + Fields.maskedAccount(accountNumber)
                    + ", (code hidden)]";
        }
    }

    /** BTRF002/BTRF003: a transfer request (new, or {@code id} when a returned one is resubmitted). */
    record TransferForm(Long id, Integer version, Long payeeId, String amount, String transferDate, Long approverId,
                        String transactionToken) {

        static TransferForm empty(LocalDate today) {
            return new TransferForm(null, null, null, "", today.toString(), null, "");
        }

        /** Validates the fields; returns the amount and date when all is well. */
        Validated validate(Errors errors, LocalDate today) {
            if (payeeId == null) {
                errors.rejectValue("payeeId", "error.choose");
            }
            long value = Fields.amount(errors, "amount", amount);
            LocalDate date = Fields.dateFrom(errors, "transferDate", transferDate, today);
            if (approverId == null) {
                errors.rejectValue("approverId", "error.choose");
            }
            return errors.hasErrors() ? null : new Validated(value, date);
        }

        record Validated(long amount, LocalDate transferDate) {
        }
    }

    /** BAPR002: approve or return (差戻し) a request, with an optional comment and the fresh OTP. */
    record DecisionForm(Long id, Integer version, String decision, String comment, String otp, String transactionToken) {

        boolean approve() {
            return "APPROVE".equals(decision);
        }

        void validate(Errors errors) {
            if (!"APPROVE".equals(decision) && !"RETURN".equals(decision)) {
                errors.reject("error.choose");
            }
            if (comment != null && comment.length() > 100) {
                errors.rejectValue("comment", "error.maxLength", new Object[] {100}, null);
            }
        }

        @Override
        public String toString() {
            return "DecisionForm[id=" + id + ", decision=" + decision + ", (code hidden)]";
        }
    }
}
