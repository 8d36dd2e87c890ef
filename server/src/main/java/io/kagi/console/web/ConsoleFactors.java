package io.kagi.console.web;

import java.time.Clock;

import io.kagi.signin.SecondFactor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The console's OTP factor {@value #OTP_AUTHORITY} ({@link SecondFactor}) and where its login lives in
 * the session: the console keeps its security context under its own session attribute
 * ({@value #CONTEXT_ATTRIBUTE}), so a portal login in the same browser session never opens the
 * console and a console login never opens the portal.
 */
@Component
class ConsoleFactors {

    static final String OTP_AUTHORITY = "FACTOR_KAGI_CONSOLE_OTP";
    static final String CONTEXT_ATTRIBUTE = "KAGI_CONSOLE_SECURITY_CONTEXT";
    static final String SAVED_REQUEST_ATTRIBUTE = "KAGI_CONSOLE_SAVED_REQUEST";

    private final SecondFactor otp;

    ConsoleFactors(Clock clock) {
        this.otp = new SecondFactor(OTP_AUTHORITY, repository(), clock);
    }

    static HttpSessionSecurityContextRepository repository() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setSpringSecurityContextKey(CONTEXT_ATTRIBUTE);
        return repository;
    }

    static boolean hasOtpFactor(Authentication authentication) {
        return SecondFactor.isGranted(authentication, OTP_AUTHORITY);
    }

    /** Adds the OTP factor to the current authentication, changes the session ID and saves the context. */
    void grantOtpFactor(HttpServletRequest request, HttpServletResponse response) {
        otp.grant(request, response);
    }
}
