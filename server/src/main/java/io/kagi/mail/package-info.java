/**
 * Mail: the transactional outbox, its SMTP sender, the mail templates, and on the embedded default
 * the local mailbox page that shows captured mail instead of sending it.
 *
 * <h2>For other modules</h2>
 * <ul>
 *   <li>The token authority's events ({@code TokenIssued}, {@code TokenActivated}, {@code TokenLocked},
 *       {@code TokenRevoked}) need nothing more: published inside the changing transaction, they are
 *       turned into notices synchronously, in that same transaction.</li>
 *   <li>{@link io.kagi.mail.Outbox#send(String, java.util.Locale, String, java.util.Map)} writes any
 *       template's mail, joining the caller's transaction.</li>
 *   <li>{@link io.kagi.mail.OutboxAdministration} lists failed mails and retries one (operator console).</li>
 * </ul>
 *
 * <h2>Delivery</h2>
 * Every node runs a sender (off with {@code kagi.mail.sender-enabled=false}). It claims due mails with
 * {@code SELECT … FOR UPDATE SKIP LOCKED} (H2 and PostgreSQL), so concurrent senders never send a mail
 * twice; it retries after {@code kagi.mail.initial-backoff} doubled up to {@code kagi.mail.max-backoff},
 * and gives a mail up as {@code FAILED} after {@code kagi.mail.max-attempts} (audit event
 * {@code MAIL_DELIVERY_FAILED}, metric {@code kagi.mail.failed}). A node that stops mid-send leaves the
 * mail claimed until {@code kagi.mail.lease} has run out; another node then sends it again, with the same
 * {@code Message-ID} (at least once in that window).
 *
 * <h2>Templates</h2>
 * {@code mail-templates/<name>_<language>.txt} (Thymeleaf text mode, UTF-8): a {@code Subject:} line, a
 * blank line, the body. A bank puts its own versions in {@code kagi.mail.templates-dir}
 * ({@code KAGI_MAIL_TEMPLATES_DIR}); they take precedence, per file.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Mail",
        allowedDependencies = {"platform", "audit", "authority"})
package io.kagi.mail;
