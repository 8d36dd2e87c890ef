package io.kagi.bizweb.login;

import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * BLGI010's code, a one-time form like every confirm step (the console's CLGI002 is the same): of
 * any number of submissions of one form exactly one is checked, so a double click neither spends a
 * failed attempt of the token twice nor answers a right code with "already used"; the accepted code
 * and its audit row commit together. The session's OTP factor is granted by the controller after
 * the step committed.
 */
@Component
class OtpLogins {

    static final String STEP = "otp-login";

    private final ConfirmedWork work;
    private final AuditLog audit;

    OtpLogins(ConfirmedWork work, AuditLog audit) {
        this.work = work;
        this.audit = audit;
    }

    /** The login of {@code userId} that the code completes. */
    record OtpLogin(long userId) {
    }

    String open(PortalAccount user, String address) {
        return work.hold(user, address, STEP, new OtpLogin(user.id()));
    }

    @Transactional
    Execution<OtpLogin, OtpLogin> verify(PortalAccount user, String address, String formToken, String code) {
        return work.execute(user, address, STEP, formToken, code, OtpLogin.class, login -> {
            audit.record(AuditEvent.of("LOGIN_OTP_ACCEPTED", user.loginId()).company(user.companyId())
                    .subject(user.auditSubject()).from(address).detail("factor", "otp"));
            return Optional.of(login);
        });
    }
}
