package io.kagi.authority;

import java.time.Instant;

/** What a relying party may know about its account's current token (the latest one). */
public record TokenStatus(ServiceId serviceId, UserId userId, TokenState state, String mailAddress,
                          Instant issuedAt, Instant activationDeadline, Instant activatedAt,
                          Instant lockedAt, Instant revokedAt, int consecutiveFailures) {

    public boolean usable() {
        return state == TokenState.ACTIVE;
    }
}
