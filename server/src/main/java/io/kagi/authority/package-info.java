/**
 * The token authority: services (relying parties) and their tokens; issuance, activation by a
 * password-authenticated key exchange, verification of one-time passwords, lock and revoke.
 * Other modules use the public types of this package only.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Token authority",
        allowedDependencies = {"platform", "audit", "otp", "activation"})
package io.kagi.authority;
