package io.kagi.console;

/**
 * What became of the execute step of a console change (a confirm → execute step with a fresh OTP,
 * see {@link io.kagi.confirmation.Confirmations}); every case is one the page must answer.
 *
 * @param <O> the confirmed operation
 * @param <R> what the change gives back
 */
public sealed interface Execution<O extends Record, R> {

    /** The form was there and the code right: {@code operation} was carried out (with its audit row). */
    record Done<O extends Record, R>(O operation, R result) implements Execution<O, R> {
    }

    /** The form was already sent (or has expired): nothing happened. */
    record AlreadyDone<O extends Record, R>() implements Execution<O, R> {
    }

    /**
     * The code was missing, malformed, wrong or spent: nothing happened; the confirm screen shows
     * {@code operation} again under the new {@code formToken} with the message {@code messageKey}
     * (a console message key).
     */
    record WrongCode<O extends Record, R>(O operation, String formToken, String messageKey)
            implements Execution<O, R> {
    }

    /** The operator's token is locked ({@code locked}) or cannot give codes: nothing happened. */
    record Refused<O extends Record, R>(boolean locked) implements Execution<O, R> {

        /** The console message key that says so. */
        public String messageKey() {
            return locked ? "console.error.otpLocked" : "console.error.otpRefused";
        }
    }
}
