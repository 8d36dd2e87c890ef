package io.kagi.authority;

import java.time.Instant;

/**
 * What a relying party may know about its account's current token (the latest one);
 * {@code codeAccepted}: whether any one-time password of it was ever accepted (an ACTIVE token
 * without one was activated on a phone but never used, e.g. its finish answer was lost).
 */
public record TokenStatus(ServiceId serviceId, UserId userId, TokenState state, String mailAddress,
                          Instant issuedAt, Instant activationDeadline, Instant activatedAt,
                          Instant lockedAt, Instant revokedAt, int consecutiveFailures, boolean codeAccepted) {

    public boolean usable() {
        return state == TokenState.ACTIVE;
    }
}
