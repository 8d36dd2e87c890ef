/**
 * The audit log: one row for every security-relevant event of every module (who, what, when,
 * from which address), never holding a secret, a code or a password.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit log",
        allowedDependencies = {})
package io.kagi.audit;
