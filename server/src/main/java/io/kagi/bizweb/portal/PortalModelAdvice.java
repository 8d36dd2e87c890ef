package io.kagi.bizweb.portal;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every portal page knows the logged-in user ({@code ${portalUser}}, or null before login) for its header and menu. */
@ControllerAdvice(basePackages = "io.kagi.bizweb")
class PortalModelAdvice {

    /** What the header shows of the logged-in user. */
    record PortalUserView(String displayName, String loginId, boolean otpFactor, boolean administrator) {
    }

    @ModelAttribute("portalUser")
    PortalUserView portalUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof PortalAccount user) {
            return new PortalUserView(user.displayName(), user.loginId(), PortalFactors.hasOtpFactor(authentication),
                    user.role() == PortalAccount.Role.MASTER || user.role() == PortalAccount.Role.ADMIN);
        }
        return null;
    }
}
