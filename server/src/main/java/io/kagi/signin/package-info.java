/**
 * Signing in with a password and then a one-time password, shared by the portal and the console:
 * the password factor with its lock after consecutive wrong passwords (and the lock's expiry where
 * the realm sets one), the throttle by address and by account that answers before any hash is
 * computed, unknown login IDs treated exactly like known ones (counted under a keyed hash, never in
 * clear), the OTP factor added to a session, and the password policy (NIST SP 800-63B §3.1.1.2).
 * The portal and the console each describe their accounts as a {@link io.kagi.signin.LoginRealm}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Sign-in",
        allowedDependencies = {"platform", "audit"})
package io.kagi.signin;
