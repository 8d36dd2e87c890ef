package io.kagi.signin;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The password factor of one realm (it grants {@code FACTOR_PASSWORD}, as every
 * {@link DaoAuthenticationProvider} does), in this order:
 * <ol>
 * <li>the throttle takes the attempt's place for its address, or refuses it at once
 *     ({@link LoginThrottledException});</li>
 * <li>the account is looked up (a phantom for an unknown ID, with an unmatchable hash);</li>
 * <li>a locked login is refused ({@link LockedException}) before the password is looked at;</li>
 * <li>the throttle takes a place for the password check of this login ID, or refuses it at once;</li>
 * <li>the password (NFKC-normalised, as it was when set) is checked; a wrong one is counted and the
 *     fifth in a row locks; a right one resets the count, gives the address its place back and
 *     clears the login ID's throttle (the three in one transaction), and a hash of an older kind or
 *     cost is re-hashed.</li>
 * </ol>
 * Made by {@link SignIn#passwordFactor}; use it in a {@code ProviderManager} of its own without a
 * parent, so that no other provider ever tries the same credentials.
 */
public final class PasswordFactor extends DaoAuthenticationProvider {

    private final LoginRealm realm;
    private final PasswordLocks locks;
    private final LoginThrottle throttle;
    private final PasswordEncoder passwordEncoder;
    private final TransactionTemplate ownTransaction;

    PasswordFactor(LoginRealm realm, Function<String, ? extends SignInAccount> accounts, PasswordEncoder passwordEncoder,
                   PasswordLocks locks, LoginThrottle throttle, PlatformTransactionManager transactionManager) {
        super(accounts::apply);
        setPasswordEncoder(passwordEncoder);
        this.passwordEncoder = passwordEncoder;
        this.realm = realm;
        this.locks = locks;
        this.throttle = throttle;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        // The login's request has no transaction; a right password's bookkeeping must commit even
        // if the request fails afterwards.
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String addressBucket = LoginThrottle.addressBucket(addressOf(authentication));
        Optional<Duration> wait = throttle.takeAddress(addressBucket);
        if (wait.isPresent()) {
            throw new LoginThrottledException(wait.get());
        }
        return super.authenticate(authentication);
    }

    @Override
    protected void additionalAuthenticationChecks(UserDetails user, UsernamePasswordAuthenticationToken authentication)
            throws AuthenticationException {
        SignInAccount account = (SignInAccount) user;
        Optional<Duration> wait = throttle.takeLogin(loginBucket(authentication.getName()));
        if (wait.isPresent()) {
            throw new LoginThrottledException(wait.get());
        }
        Object credentials = authentication.getCredentials();
        UsernamePasswordAuthenticationToken normalised = UsernamePasswordAuthenticationToken.unauthenticated(
                authentication.getPrincipal(),
                credentials == null ? null : PasswordPolicy.normalise(credentials.toString()));
        try {
            super.additionalAuthenticationChecks(user, normalised);
        } catch (BadCredentialsException wrong) {
            if (locks.recordFailure(realm, account)) {
                throw new LockedException("The login is locked after consecutive wrong passwords");
            }
            throw wrong;
        }
        if (account.isPhantom() || !Boolean.TRUE.equals(ownTransaction.execute(transaction -> succeeded(account, authentication)))) {
            throw new LockedException("The login is locked");
        }
        if (passwordEncoder.upgradeEncoding(account.getPassword())) {
            // A hash of another kind or cost (e.g. bcrypt before Argon2id): re-hashed now, the one moment the password is known.
            locks.rehash(realm, account, account.getPassword(), passwordEncoder.encode(normalised.getCredentials().toString()));
        }
    }

    /**
     * A right password: the count reset, unless the login was locked meanwhile (by a wrong password on
     * another node; then false and the throttle keeps its places), the address's place given back and
     * the login ID's bucket cleared.
     */
    private boolean succeeded(SignInAccount account, Authentication authentication) {
        if (!locks.recordSuccess(realm, account)) {
            return false;
        }
        throttle.succeeded(LoginThrottle.addressBucket(addressOf(authentication)), loginBucket(authentication.getName()));
        return true;
    }

    private String loginBucket(String loginId) {
        return LoginThrottle.loginBucket(realm, locks.digest(realm, loginId == null ? "" : loginId));
    }

    private static String addressOf(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : "";
    }
}
