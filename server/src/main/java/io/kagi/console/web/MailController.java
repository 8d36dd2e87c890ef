package io.kagi.console.web;

import java.util.List;
import java.util.Map;

import io.kagi.mail.OutboxAdministration;
import io.kagi.mail.OutboxMail;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The mail outbox: CMAL001 (mails given up, with the last error; counts per status), CMAL002 (confirm a retry with a fresh OTP). */
@Controller
class MailController {

    private static final String STEP = "mail-retry";

    private final OutboxAdministration outbox;
    private final ConsoleConfirmations confirmations;

    MailController(OutboxAdministration outbox, ConsoleConfirmations confirmations) {
        this.outbox = outbox;
        this.confirmations = confirmations;
    }

    @GetMapping("/console/mail")
    String failed(Model model) {
        model.addAttribute("mails", outbox.failed(200));
        model.addAttribute("counts", outbox.countByStatus());
        return "console/mail";
    }

    @GetMapping("/console/mail/{id}/retry")
    String confirmation(@PathVariable long id, HttpSession session, Model model) {
        return showConfirm(mail(id), session, model, null);
    }

    @PostMapping("/console/mail/{id}/retry")
    String retry(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                 @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                 HttpServletRequest request, HttpSession session, Model model, RedirectAttributes redirect) {
        OutboxMail mail = mail(id);
        ConsoleConfirmations.Check check = confirmations.check(operator, session, STEP, transactionToken, otp,
                ClientAddress.of(request));
        if (check instanceof ConsoleConfirmations.Check.DoubleSubmit) {
            redirect.addFlashAttribute("flashError", "console.error.doubleSubmit");
            return "redirect:/console/mail";
        }
        if (check instanceof ConsoleConfirmations.Check.CodeRefused refused) {
            return showConfirm(mail, session, model, refused.messageKey());
        }
        boolean retried = outbox.retry(id, operator.actor());
        redirect.addFlashAttribute(retried ? "flashNotice" : "flashError", retried ? "console.mail.retried" : "console.mail.notFailed");
        return "redirect:/console/mail";
    }

    private OutboxMail mail(long id) {
        return outbox.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showConfirm(OutboxMail mail, HttpSession session, Model model, String otpError) {
        model.addAttribute("page", new ConfirmPage("CMAL002", "console.mail.retry.title", "console.mail.retry.lead",
                List.of(ConfirmPage.Row.text("console.mail.recipient", mail.recipient()),
                        ConfirmPage.Row.text("console.mail.subject", mail.subject()),
                        ConfirmPage.Row.text("console.mail.attempts", String.valueOf(mail.attempts())),
                        ConfirmPage.Row.text("console.mail.lastError", mail.lastError() == null ? "" : mail.lastError())),
                "/console/mail/" + mail.id() + "/retry", Map.of(), "/console/mail"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", confirmations.issue(session, STEP));
        return "console/confirm";
    }
}
