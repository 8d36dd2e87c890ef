package io.kagi.authority;

import java.time.Instant;

/** The outcome of {@link Tokens#issue}. */
public sealed interface IssueResult {

    /** A token was issued and waits for activation until {@code activationDeadline}. */
    record Issued(ServiceId serviceId, UserId userId, String mailAddress, Instant activationDeadline) implements IssueResult {
    }

    /** The account's token was revoked lately; a new one can be issued from {@code reissueAllowedFrom}. */
    record CoolingOff(Instant reissueAllowedFrom) implements IssueResult {
    }

    /** No service is registered under that サービスID. */
    record UnknownService() implements IssueResult {
    }
}
