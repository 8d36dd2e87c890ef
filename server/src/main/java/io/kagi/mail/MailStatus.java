package io.kagi.mail;

/** Where a mail of the outbox stands. */
public enum MailStatus {
    /** Waits for its next delivery attempt. */
    PENDING,
    /** Claimed by a sender that is delivering it now. */
    SENDING,
    /** Accepted by the SMTP server. */
    SENT,
    /** Kept for the local mailbox page instead of being sent (embedded default). */
    CAPTURED,
    /** Given up: every attempt failed, or the server refused it for good. The operator may retry it. */
    FAILED
}
