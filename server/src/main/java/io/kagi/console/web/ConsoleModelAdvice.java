package io.kagi.console.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.kagi.console.OperatorAccount;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Every console page knows the operator ({@code ${operator}}, null before login) and formats times
 * in Japan time ({@code ${jst.format(instant)}}).
 */
@ControllerAdvice(basePackageClasses = ConsoleModelAdvice.class)
class ConsoleModelAdvice {

    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    /** What the header shows of the logged-in operator. */
    record OperatorView(String displayName, String loginId, String role, boolean supervisor, boolean otpFactor) {
    }

    /** Times as the console shows them: Japan time, to the second. */
    static final class JapanTime {
        private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(JAPAN);

        public String format(Instant instant) {
            return instant == null ? "" : FORMAT.format(instant);
        }
    }

    @ModelAttribute("operator")
    OperatorView operator(Authentication authentication) {
        if (authentication != null && authentication.getPrincipal() instanceof OperatorAccount operator) {
            return new OperatorView(operator.displayName(), operator.loginId(), operator.role().name(),
                    operator.role() == OperatorAccount.Role.SUPERVISOR, ConsoleFactors.hasOtpFactor(authentication));
        }
        return null;
    }

    @ModelAttribute("jst")
    JapanTime jst() {
        return new JapanTime();
    }
}
