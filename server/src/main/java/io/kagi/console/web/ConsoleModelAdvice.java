package io.kagi.console.web;

import java.time.Instant;

import io.kagi.console.OperatorAccount;
import io.kagi.platform.BankTime;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Every console page knows the operator ({@code ${operator}}, null before login) and formats times
 * in the bank's time zone ({@code ${jst.format(instant)}}, {@link BankTime}).
 */
@ControllerAdvice(basePackageClasses = ConsoleModelAdvice.class)
class ConsoleModelAdvice {

    /** What the header shows of the logged-in operator. */
    record OperatorView(String displayName, String loginId, String role, boolean supervisor, boolean writer,
                        boolean otpFactor) {
    }

    /** Times as the console shows them: the bank's time zone, to the second. */
    static final class TimeView {
        private final BankTime bankTime;

        TimeView(BankTime bankTime) {
            this.bankTime = bankTime;
        }

        public String format(Instant instant) {
            return bankTime.seconds(instant);
        }
    }

    private final TimeView jst;

    ConsoleModelAdvice(BankTime bankTime) {
        this.jst = new TimeView(bankTime);
    }

    @ModelAttribute("operator")
    OperatorView operator(Authentication authentication) {
        if (authentication != null && authentication.getPrincipal() instanceof OperatorAccount operator) {
            return new OperatorView(operator.displayName(), operator.loginId(), operator.role().name(),
                    operator.role() == OperatorAccount.Role.SUPERVISOR, operator.role() != OperatorAccount.Role.AUDITOR,
                    ConsoleFactors.hasOtpFactor(authentication));
        }
        return null;
    }

    @ModelAttribute("jst")
    TimeView jst() {
        return jst;
    }
}
