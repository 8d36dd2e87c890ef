package io.kagi.authority;

import java.time.Instant;

/**
 * How completing a signing request ended ({@link TransactionSigning#complete}). Only
 * {@link Signed} lets the relying party carry the transaction out; every refusal is in the audit log.
 */
public sealed interface SigningOutcome {

    /** Signed for exactly this request's text, once: by the phone's approval or by an offline code. */
    record Signed(String reference, String digest, String by, UserId userId) implements SigningOutcome {
    }

    /** The phone has not answered and no code was given: keep waiting. */
    record Pending(Instant expiresAt) implements SigningOutcome {
    }

    /** The user refused the request on the phone (否認). */
    record Denied() implements SigningOutcome {
    }

    /** The request's 5 minutes are over. */
    record Expired() implements SigningOutcome {
    }

    /** The request was already used for a transaction. */
    record AlreadyUsed() implements SigningOutcome {
    }

    /** The code is not the signature of this request (another request, payee or amount): counted toward the lock. */
    record WrongCode(int attemptsLeft) implements SigningOutcome {
    }

    record Locked(Instant lockedAt) implements SigningOutcome {
    }

    /** No such request for this account (another account's, or an unknown reference). */
    record NotFound() implements SigningOutcome {
    }

    record NoUsableToken(TokenState state) implements SigningOutcome {
    }
}
