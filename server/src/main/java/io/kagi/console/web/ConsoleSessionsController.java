package io.kagi.console.web;

import io.kagi.audit.AuditEvent;
import io.kagi.console.OperatorAccount;
import io.kagi.session.SessionOwner;
import io.kagi.session.UserSessions;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** CSES001: the operator's own console sessions, as the portal's BSES001 shows a user theirs ({@code OPERATOR_SESSION_ENDED}). */
@Controller
class ConsoleSessionsController {

    private final UserSessions sessions;

    ConsoleSessionsController(UserSessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/console/sessions")
    String list(@AuthenticationPrincipal OperatorAccount operator, HttpServletRequest request, Model model) {
        model.addAttribute("sessions", sessions.of(owner(operator), request));
        return "console/sessions";
    }

    @PostMapping("/console/sessions/end")
    String end(@AuthenticationPrincipal OperatorAccount operator, @RequestParam("session") String reference,
               HttpServletRequest request, RedirectAttributes redirect) {
        boolean ended = sessions.end(owner(operator), reference, AuditEvent.of("OPERATOR_SESSION_ENDED", operator.actor())
                .subject(operator.actor()).from(ClientAddress.of(request)));
        redirect.addFlashAttribute(ended ? "flashNotice" : "flashError", ended ? "sessions.ended" : "sessions.gone");
        return "redirect:/console/sessions";
    }

    private static SessionOwner owner(OperatorAccount operator) {
        return new SessionOwner(ConsoleFactors.CONTEXT_ATTRIBUTE, operator.getUsername());
    }
}
