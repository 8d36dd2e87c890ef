/**
 * The bank operator console: the bank's own staff, with their own login and their own OTP (the
 * console is a service of its own at the token authority), administer contracts (companies),
 * お知らせ, customers' users and tokens, read the audit log and retry failed mails.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Bank operator console",
        allowedDependencies = {"platform", "audit", "authority", "bizweb", "mail", "confirmation", "session", "signin", "certificates"})
package io.kagi.console;
