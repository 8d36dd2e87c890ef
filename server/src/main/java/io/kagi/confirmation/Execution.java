package io.kagi.confirmation;

/**
 * What became of the execute step of a confirmed change (portal and console alike); every case is
 * one the page must answer, and only {@link Done} changed anything.
 *
 * @param <O> the confirmed operation
 * @param <R> what the change gives back (an id, a new user's details, …)
 */
public sealed interface Execution<O extends Record, R> {

    /** The form was there and the code right: {@code operation} was carried out, with its audit row. */
    record Done<O extends Record, R>(O operation, R result) implements Execution<O, R> {
    }

    /** The code was right, but what the operation applies to changed since the confirm screen: nothing happened. */
    record ChangedMeanwhile<O extends Record, R>(O operation) implements Execution<O, R> {
    }

    /** The form was already sent (or never shown, or expired): nothing happened. */
    record AlreadyDone<O extends Record, R>() implements Execution<O, R> {
    }

    /**
     * The code was missing, malformed, wrong or spent: nothing happened; the confirm screen shows
     * {@code operation} again under the new {@code formToken} with {@code messageKey}
     * ({@code error.otpWrong}, …) and, when the code was counted, the tries left before the lock
     * ({@code attemptsLeft}, -1 when not counted).
     */
    record WrongCode<O extends Record, R>(O operation, String formToken, String messageKey, int attemptsLeft)
            implements Execution<O, R> {
    }

    /** The person's token is locked ({@code locked}, now or before) or cannot give codes: nothing happened. */
    record Refused<O extends Record, R>(boolean locked) implements Execution<O, R> {
    }
}
