package io.kagi.bizweb.transfers;

import java.time.LocalDate;

import io.kagi.bizweb.portal.Fields;

import org.springframework.validation.Errors;

/**
 * The forms of 振込依頼 and 承認. What BTRF003 and BAPR002 confirm is held on the server
 * ({@link Transfers.TransferRequest}, {@link Transfers.Decision}); the execute steps read only the
 * decision, the comment and the code.
 */
final class TransferForms {

    private TransferForms() {
    }

    /** BTRF002/BTRF003: a transfer request (new, or {@code id} when a returned one is resubmitted). */
    public record TransferForm(Long id, Integer version, Long payeeId, String amount, String transferDate, Long approverId,
                        String transactionToken) {

        public static TransferForm empty(LocalDate today) {
            return new TransferForm(null, null, null, "", today.toString(), null, "");
        }

        /** Validates the fields; returns the amount and date when all is well. */
        public Validated validate(Errors errors, LocalDate today) {
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

        public record Validated(long amount, LocalDate transferDate) {
        }
    }

    /**
     * BAPR002: approve or return (差戻し) a request, with an optional comment and the fresh OTP; under
     * 取引認証 an approval takes the phone's answer or the offline code ({@code signature}) instead.
     */
    public record DecisionForm(Long id, Integer version, String decision, String comment, String otp, String transactionToken,
                               String signature) {

        public boolean approve() {
            return "APPROVE".equals(decision);
        }

        public void validate(Errors errors) {
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
