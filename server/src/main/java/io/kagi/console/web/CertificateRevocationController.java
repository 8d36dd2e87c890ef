package io.kagi.console.web;

import java.util.List;

import io.kagi.console.CertificateRevocations;
import io.kagi.console.CertificateRevocations.Revocation;
import io.kagi.console.OperatorAccount;
import io.kagi.certificates.ClientCertificates;
import io.kagi.confirmation.Execution;
import io.kagi.platform.BankTime;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** CUSR002 for a client certificate: a supervisor revokes a customer's certificate with a fresh OTP. */
@Controller
class CertificateRevocationController {

    private final CertificateRevocations revocations;
    private final BankTime bankTime;

    CertificateRevocationController(CertificateRevocations revocations, BankTime bankTime) {
        this.revocations = revocations;
        this.bankTime = bankTime;
    }

    @GetMapping("/console/users/action/certificate")
    String confirm(@AuthenticationPrincipal OperatorAccount operator, @RequestParam long user, @RequestParam String serial,
                   HttpServletRequest request, Model model) {
        Revocation revocation = new Revocation(user, serial);
        ClientCertificates.CertificateRecord record = revocations.find(revocation)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return show(revocation, record, revocations.hold(operator, ClientAddress.of(request), revocation), null, model);
    }

    @PostMapping("/console/users/action/certificate")
    String execute(@AuthenticationPrincipal OperatorAccount operator, @RequestParam(required = false) String otp,
                   @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
                   RedirectAttributes redirect) {
        Execution<Revocation, String> execution = revocations.execute(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/users", redirect, done -> {
            redirect.addFlashAttribute("flashNotice", done.result());
            return "redirect:/console/users/" + done.operation().user();
        }, wrong -> revocations.find(wrong.operation())
                .map(record -> show(wrong.operation(), record, wrong.formToken(), ConsoleAnswers.message(wrong), model))
                .orElse("redirect:/console/users/" + wrong.operation().user()));
    }

    private String show(Revocation revocation, ClientCertificates.CertificateRecord record, String formToken, String otpError,
                        Model model) {
        model.addAttribute("page", new ConfirmPage("CUSR002", "console.certificate.revoke", "console.certificate.revokeLead",
                List.of(ConfirmPage.Row.text("console.user.loginId", record.loginId()),
                        ConfirmPage.Row.text("console.certificate.serial", record.serial()),
                        ConfirmPage.Row.text("console.certificate.notAfter", bankTime.minutes(record.notAfter()))),
                "/console/users/action/certificate", "/console/users/" + revocation.user()));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }
}
