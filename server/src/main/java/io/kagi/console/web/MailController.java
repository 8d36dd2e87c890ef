package io.kagi.console.web;

import java.util.List;

import io.kagi.confirmation.Execution;
import io.kagi.console.MailRetries;
import io.kagi.console.OperatorAccount;
import io.kagi.mail.OutboxMail;

import jakarta.servlet.http.HttpServletRequest;

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

    private final MailRetries mails;

    MailController(MailRetries mails) {
        this.mails = mails;
    }

    @GetMapping("/console/mail")
    String failed(Model model) {
        model.addAttribute("mails", mails.failed(200));
        model.addAttribute("counts", mails.countByStatus());
        return "console/mail";
    }

    @GetMapping("/console/mail/{id}/retry")
    String confirmation(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                        HttpServletRequest request, Model model) {
        OutboxMail mail = mail(id);
        return showConfirm(mail, mails.holdRetry(operator, ClientAddress.of(request), mail.id()), null, model);
    }

    /** Retries the mail confirmed under the form token (the ID in the path only names the page). */
    @PostMapping("/console/mail/{id}/retry")
    String retry(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                 @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                 HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<MailRetries.Retry, Boolean> execution =
                mails.retry(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/mail", redirect, done -> {
                boolean retried = done.result();
                redirect.addFlashAttribute(retried ? "flashNotice" : "flashError",
                        retried ? "console.mail.retried" : "console.mail.notFailed");
                return "redirect:/console/mail";
        }, wrong -> showConfirm(mail(wrong.operation().mailId()), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    private OutboxMail mail(long id) {
        return mails.mail(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showConfirm(OutboxMail mail, String formToken, String otpError, Model model) {
        model.addAttribute("page", new ConfirmPage("CMAL002", "console.mail.retry.title", "console.mail.retry.lead",
                List.of(ConfirmPage.Row.text("console.mail.recipient", mail.recipient()),
                        ConfirmPage.Row.text("console.mail.subject", mail.subject()),
                        ConfirmPage.Row.text("console.mail.attempts", String.valueOf(mail.attempts())),
                        ConfirmPage.Row.text("console.mail.lastError", mail.lastError() == null ? "" : mail.lastError())),
                "/console/mail/" + mail.id() + "/retry", "/console/mail"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }
}
