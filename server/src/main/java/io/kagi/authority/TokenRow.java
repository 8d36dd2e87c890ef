package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;

import io.kagi.activation.Srp6a;
import io.kagi.activation.TokenParameters;

/** One token as stored, with its account and service. Never printed with its sealed values. */
record TokenRow(long id, long accountId, long serviceFk, ServiceId serviceId, String serviceName, UserId userId,
                String accountRef, TokenState state, String mailAddress, Locale locale, String algorithm, int digits,
                int stepSeconds, String srpSalt, String verifierSealed, int wrongActivations, Instant activationDeadline,
                String seedSealed, Long lastAcceptedStep, int consecutiveFailures, Instant issuedAt, Instant activatedAt,
                Instant lockedAt, Instant revokedAt) {

    String subject() {
        return "token:" + serviceId + "/" + userId;
    }

    String identity() {
        return Srp6a.identity(serviceId.digits(), userId.digits());
    }

    TokenParameters parameters() {
        return new TokenParameters(algorithm, digits, stepSeconds);
    }

    boolean pendingPast(Instant now) {
        return state == TokenState.ISSUED && !now.isBefore(activationDeadline);
    }

    TokenStatus status() {
        return new TokenStatus(serviceId, userId, state, mailAddress, issuedAt, activationDeadline, activatedAt,
                lockedAt, revokedAt, consecutiveFailures, lastAcceptedStep != null);
    }

    @Override
    public String toString() {
        return "TokenRow[" + id + ", " + subject() + ", " + state + "]";
    }
}
