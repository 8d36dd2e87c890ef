package io.kagi.signin;

import java.util.function.Function;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The sign-in module's entrance for a realm's own configuration: its password factor, and what its
 * account look-up needs to answer an unknown login ID like a known one.
 */
@Component
@EnableConfigurationProperties(SignInProperties.class)
public class SignIn {

    private final PasswordEncoder passwordEncoder;
    private final PasswordLocks locks;
    private final LoginThrottle throttle;
    private final UnmatchableHash unmatchableHash;
    private final PlatformTransactionManager transactionManager;

    SignIn(PasswordEncoder passwordEncoder, PasswordLocks locks, LoginThrottle throttle, UnmatchableHash unmatchableHash,
           PlatformTransactionManager transactionManager) {
        this.transactionManager = transactionManager;
        this.passwordEncoder = passwordEncoder;
        this.locks = locks;
        this.throttle = throttle;
        this.unmatchableHash = unmatchableHash;
    }

    /**
     * The realm's password factor.
     *
     * @param accounts the look-up by login ID; for an ID that does not exist it answers a phantom
     *                 (see {@link #phantomPasswordHash} and {@link #isUnknownLoginLocked})
     */
    public PasswordFactor passwordFactor(LoginRealm realm, Function<String, ? extends SignInAccount> accounts) {
        return new PasswordFactor(realm, accounts, passwordEncoder, locks, throttle, transactionManager);
    }

    /**
     * Ends the waits of a login ID whose lock someone just ended (an unlock, a new password), so
     * that its owner's next password is checked at once. Joins the caller's transaction.
     */
    public void forgetWaits(LoginRealm realm, String loginId) {
        throttle.forget(LoginThrottle.loginBucket(realm, locks.digest(realm, loginId)));
    }

    /** The hash a phantom carries: no password matches it, and checking it costs what a real one does. */
    public String phantomPasswordHash() {
        return unmatchableHash.value();
    }

    /** Whether wrong passwords typed with this login ID, which does not exist, have locked it. */
    public boolean isUnknownLoginLocked(LoginRealm realm, String loginId) {
        return locks.isUnknownLoginLocked(realm, loginId);
    }

    /**
     * How the audit log may name a login ID that was typed but does not exist (or a login that
     * failed): by its keyed digest, never by the text, which may be a password typed into the wrong
     * field.
     */
    public String unknownLoginSubject(LoginRealm realm, String loginId) {
        return "login-id-digest:" + locks.digest(realm, loginId);
    }
}
