package io.kagi.bizweb.sessions;

import io.kagi.audit.AuditEvent;
import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalSessions;
import io.kagi.session.UserSessions;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * BSES001: the signed-in user's sessions (this one marked), started when and from where, in which
 * browser; 終了 ends one of the others at once (its next request goes to the login page), with an
 * audit row {@code SESSION_ENDED}.
 */
@Controller
class SessionsController {

    private final UserSessions sessions;

    SessionsController(UserSessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/bizweb/sessions")
    String list(@AuthenticationPrincipal PortalAccount user, HttpServletRequest request, Model model) {
        model.addAttribute("sessions", sessions.of(PortalSessions.owner(user.loginId()), request));
        return "bizweb/sessions";
    }

    @PostMapping("/bizweb/sessions/end")
    String end(@AuthenticationPrincipal PortalAccount user, @RequestParam("session") String reference,
               HttpServletRequest request, RedirectAttributes redirect) {
        boolean ended = sessions.end(PortalSessions.owner(user.loginId()), reference,
                AuditEvent.of("SESSION_ENDED", user.loginId()).company(user.companyId()).subject("user:" + user.loginId())
                        .from(ClientAddresses.of(request)));
        redirect.addFlashAttribute(ended ? "flashNotice" : "flashError", ended ? "sessions.ended" : "sessions.gone");
        return "redirect:/bizweb/sessions";
    }
}
