package io.kagi.mail;

/** A mail as the local mailbox page shows it: the outbox row and its body. */
record CapturedMail(OutboxMail mail, String body) {

    @Override
    public String toString() {
        return "CapturedMail[" + mail.id() + "]";
    }
}
