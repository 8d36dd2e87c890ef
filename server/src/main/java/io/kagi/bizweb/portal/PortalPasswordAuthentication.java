package io.kagi.bizweb.portal;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The password factor (it grants {@code FACTOR_PASSWORD}, as every {@link DaoAuthenticationProvider}
 * does), with the portal's lockout: a locked login is refused before the password is even looked
 * at, each wrong password is counted, and the fifth in a row locks.
 */
class PortalPasswordAuthentication extends DaoAuthenticationProvider {

    private final LoginAttempts attempts;

    PortalPasswordAuthentication(PortalUsers users, PasswordEncoder passwordEncoder, LoginAttempts attempts) {
        super(users);
        setPasswordEncoder(passwordEncoder);
        this.attempts = attempts;
    }

    @Override
    protected void additionalAuthenticationChecks(UserDetails user, UsernamePasswordAuthenticationToken authentication)
            throws AuthenticationException {
        PortalAccount account = (PortalAccount) user;
        try {
            super.additionalAuthenticationChecks(user, authentication);
        } catch (BadCredentialsException wrong) {
            if (attempts.recordFailure(account)) {
                throw new LockedException("The login is locked after consecutive wrong passwords");
            }
            throw wrong;
        }
        if (account.isPhantom() || !attempts.recordSuccess(account)) {
            throw new LockedException("The login is locked");
        }
    }
}
