package io.kagi.mail;

import java.time.Instant;

/** A mail as the local mailbox page shows it. */
record CapturedMail(long id, String kind, String recipient, String subject, String body, String status, Instant createdAt) {
}
