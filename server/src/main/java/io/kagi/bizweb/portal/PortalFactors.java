package io.kagi.bizweb.portal;

import java.time.Clock;

import io.kagi.signin.SecondFactor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The portal's OTP factor {@value #OTP_AUTHORITY} ({@link SecondFactor}), granted after the token
 * authority accepted a code from the user's active token; the password factor is Spring Security's own.
 */
@Component
public class PortalFactors {

    /** Granted once the user proved possession of their token with a one-time password. */
    static final String OTP_AUTHORITY = "FACTOR_KAGI_OTP";

    private final SecondFactor otp;

    PortalFactors(Clock clock) {
        this.otp = new SecondFactor(OTP_AUTHORITY, new HttpSessionSecurityContextRepository(), clock);
    }

    public static boolean hasOtpFactor(Authentication authentication) {
        return SecondFactor.isGranted(authentication, OTP_AUTHORITY);
    }

    /** Adds the OTP factor to the current authentication, with a new session ID, and saves it in the session. */
    public void grantOtpFactor(HttpServletRequest request, HttpServletResponse response) {
        otp.grant(request, response);
    }
}
