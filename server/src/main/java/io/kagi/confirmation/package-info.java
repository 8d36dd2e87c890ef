/**
 * Confirm → execute steps, shared by the portal and the console: the one-time form that holds on
 * the server what a confirm screen showed ({@link io.kagi.confirmation.OneTimeForms}) and the fresh
 * one-time password that every change of another person, a payee, an approval or the bank's
 * settings asks for ({@link io.kagi.confirmation.Confirmations}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Confirmations",
        allowedDependencies = {"platform", "audit", "authority"})
package io.kagi.confirmation;
