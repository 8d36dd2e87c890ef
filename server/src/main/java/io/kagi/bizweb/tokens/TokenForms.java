package io.kagi.bizweb.tokens;

import io.kagi.bizweb.portal.Fields;

import org.springframework.validation.Errors;

/** The forms of ELG016 (token issuance), ELG017 (OTP認証確認) and BLGI010 (the OTP at login). */
public final class TokenForms {

    private TokenForms() {
    }

    /** ELG016: 携帯電話メールアドレス and 利用開始パスワード, each twice. */
    record IssuanceForm(String mailAddress, String mailAddressConfirmation, String activationPassword,
                        String activationPasswordConfirmation, String transactionToken) {

        public static IssuanceForm empty() {
            return new IssuanceForm("", "", "", "", "");
        }

        public void validate(Errors errors) {
            Fields.mailAddress(errors, "mailAddress", mailAddress);
            Fields.confirmation(errors, "mailAddressConfirmation", mailAddressConfirmation, "mailAddress", mailAddress);
            Fields.activationPassword(errors, "activationPassword", activationPassword);
            Fields.confirmation(errors, "activationPasswordConfirmation", activationPasswordConfirmation,
                    "activationPassword", activationPassword);
        }

        @Override
        public String toString() {
            return "IssuanceForm[mailAddress=" + mailAddress + ", (activation password hidden)]";
        }
    }

    /** ELG017 and BLGI010: the one-time password shown by the app. */
    public record OtpForm(String otp, String transactionToken) {

        public static OtpForm empty() {
            return new OtpForm("", "");
        }

        public void validate(Errors errors) {
            if (Fields.required(errors, "otp", otp) && !otp.matches("[0-9]{6,8}")) {
                errors.rejectValue("otp", "error.otpFormat");
            }
        }

        @Override
        public String toString() {
            return "OtpForm[(code hidden)]";
        }
    }
}
