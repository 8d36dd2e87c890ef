/**
 * Mail: the transactional outbox, its SMTP sender, the mail templates, and on the embedded default
 * the local mailbox page that shows captured mail instead of sending it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Mail")
package io.kagi.mail;
