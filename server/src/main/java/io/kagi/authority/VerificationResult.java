package io.kagi.authority;

import java.time.Instant;

/** The outcome of {@link Tokens#verify}. */
public sealed interface VerificationResult {

    /** The code was right and had not been used: {@code step} is its TOTP time step. */
    record Accepted(long step) implements VerificationResult {
    }

    /** Wrong, too old or too new: one answer for all, counted; {@code attemptsLeft} before the lock. */
    record Rejected(int attemptsLeft) implements VerificationResult {
    }

    /**
     * The code is right for a step at or before the last accepted one (used a moment ago, or older
     * than it): not counted as a failure — wait for the next code. {@code attemptsLeft}: unchanged.
     */
    record AlreadyUsed(int attemptsLeft) implements VerificationResult {
    }

    /** The token is locked (this failure reached the threshold, or it was locked already). */
    record Locked(Instant lockedAt) implements VerificationResult {
    }

    /** The account has no token ({@code state} null) or its token is not ACTIVE (e.g. ISSUED, not yet activated). */
    record NoUsableToken(TokenState state) implements VerificationResult {
    }
}
