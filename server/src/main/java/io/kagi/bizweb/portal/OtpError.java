package io.kagi.bizweb.portal;

import io.kagi.confirmation.Execution;

import org.springframework.validation.Errors;

/**
 * What the OTP field of a confirm screen, ELG017 or BLGI010 says after a refused code: the message
 * ({@code error.otpWrong}, {@code error.otpAlreadyUsed}, {@code error.otpFormat}, …) and, when the
 * code was counted, how many more wrong codes the token takes before it is locked ({@code -1}: not
 * told, e.g. a malformed code that was never checked).
 */
public record OtpError(String messageKey, int attemptsLeft) {

    /** What a confirm screen says after its execute step found the code wrong, used or malformed. */
    public static OtpError of(Execution.WrongCode<?, ?> wrong) {
        return new OtpError(wrong.messageKey(), wrong.attemptsLeft());
    }

    /** A wrong code, counted: the message names the tries left. */
    public static OtpError wrong(int attemptsLeft) {
        return new OtpError("error.otpWrong", attemptsLeft);
    }

    /** A code of a step already used: wait for the next one (not counted; the tries left are unchanged). */
    public static OtpError alreadyUsed(int attemptsLeft) {
        return new OtpError("error.otpAlreadyUsed", attemptsLeft);
    }

    /** Puts the message on the {@code otp} field; with the tries left as the message's {0} where known. */
    public void rejectOn(Errors errors) {
        if (attemptsLeft >= 0) {
            errors.rejectValue("otp", messageKey + "AttemptsLeft", new Object[] {attemptsLeft}, null);
        } else {
            errors.rejectValue("otp", messageKey);
        }
    }
}
