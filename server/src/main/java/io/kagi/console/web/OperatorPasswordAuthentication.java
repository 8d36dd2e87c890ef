package io.kagi.console.web;

import io.kagi.console.OperatorAccount;
import io.kagi.console.Operators;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The operators' password factor ({@code FACTOR_PASSWORD}) with the lock after five wrong passwords in a row. */
class OperatorPasswordAuthentication extends DaoAuthenticationProvider {

    private final Operators operators;

    OperatorPasswordAuthentication(Operators operators, PasswordEncoder passwordEncoder) {
        super(operators::account);
        setPasswordEncoder(passwordEncoder);
        this.operators = operators;
    }

    @Override
    protected void additionalAuthenticationChecks(UserDetails user, UsernamePasswordAuthenticationToken authentication)
            throws AuthenticationException {
        OperatorAccount account = (OperatorAccount) user;
        try {
            super.additionalAuthenticationChecks(user, authentication);
        } catch (BadCredentialsException wrong) {
            if (operators.recordFailure(account)) {
                throw new LockedException("The operator's login is locked after consecutive wrong passwords");
            }
            throw wrong;
        }
        if (account.isPhantom() || !operators.recordSuccess(account)) {
            throw new BadCredentialsException("Bad credentials");
        }
    }
}
