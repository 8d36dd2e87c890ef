package io.kagi.console.web;

import java.util.Arrays;
import java.util.Locale;

import io.kagi.confirmation.Execution;
import io.kagi.console.OperatorAccount;
import io.kagi.console.OperatorLogins;
import io.kagi.console.OperatorLogins.Issuance;
import io.kagi.console.OperatorTokens;
import io.kagi.signin.LoginRefusal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * CLGI001 (the console's login), CLGI002 (the operator's OTP, at every login), CLGI003 (issuing
 * the operator's token: the activation password twice; the notice goes to the operator's registered
 * address) and CLGI004 (confirming the activated token with its first code). Each form is a
 * one-time form ({@link OperatorLogins}); a form sent again is answered "already sent".
 */
@Controller
class ConsoleLoginController {

    private final OperatorTokens tokens;
    private final OperatorLogins logins;
    private final ConsoleFactors factors;

    ConsoleLoginController(OperatorTokens tokens, OperatorLogins logins, ConsoleFactors factors) {
        this.tokens = tokens;
        this.logins = logins;
        this.factors = factors;
    }

    @GetMapping("/console/login")
    String login(@RequestParam(name = "wait", required = false) String wait, Model model) {
        model.addAttribute("waitSeconds", LoginRefusal.waitSeconds(wait));
        return "console/login";
    }

    @GetMapping("/console/otp")
    String otp(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
               HttpServletRequest request, Model model) {
        if (ConsoleFactors.hasOtpFactor(authentication)) {
            return "redirect:/console";
        }
        OperatorTokens.Situation situation = tokens.situation(operator);
        if (situation == OperatorTokens.Situation.NONE || situation == OperatorTokens.Situation.PENDING) {
            return "redirect:" + tokens.next(operator);
        }
        return otpPage(operator, situation == OperatorTokens.Situation.LOCKED, null, null, request, model);
    }

    @PostMapping("/console/otp")
    String verifyOtp(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
                     @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                     HttpServletRequest request, HttpServletResponse response, Model model) {
        if (ConsoleFactors.hasOtpFactor(authentication)) {
            return "redirect:/console";
        }
        Execution<OperatorLogins.OtpLogin, OperatorLogins.OtpLogin> execution =
                logins.verifyOtp(operator, ClientAddress.of(request), transactionToken, otp);
        if (execution instanceof Execution.Done<OperatorLogins.OtpLogin, OperatorLogins.OtpLogin>) {
            factors.grantOtpFactor(request, response);
            return "redirect:/console";
        }
        if (execution instanceof Execution.WrongCode<OperatorLogins.OtpLogin, OperatorLogins.OtpLogin> wrong) {
            return otpPage(operator, false, wrong.formToken(), ConsoleAnswers.message(wrong), request, model);
        }
        if (execution instanceof Execution.Refused<OperatorLogins.OtpLogin, OperatorLogins.OtpLogin> refused) {
            if (refused.locked()) {
                return otpPage(operator, true, null, ConsoleAnswers.message(refused), request, model);
            }
            return "redirect:" + tokens.next(operator);
        }
        if (execution instanceof Execution.AlreadyDone<OperatorLogins.OtpLogin, OperatorLogins.OtpLogin>
                || execution instanceof Execution.ChangedMeanwhile<OperatorLogins.OtpLogin, OperatorLogins.OtpLogin>) {
            // Another submission of this form is (or was) being answered.
            return "redirect:/console/otp?" + ConfirmPage.ALREADY_DONE;
        }
        throw new IllegalStateException("An execution of an unknown kind: " + execution.getClass().getName());
    }

    @GetMapping("/console/token/issue")
    String issuance(@AuthenticationPrincipal OperatorAccount operator, HttpServletRequest request, Model model) {
        if (tokens.situation(operator) != OperatorTokens.Situation.NONE) {
            return "redirect:" + tokens.next(operator);
        }
        return issuePage(operator, null, request, model);
    }

    @PostMapping("/console/token/issue")
    String issue(@AuthenticationPrincipal OperatorAccount operator,
                 @RequestParam(defaultValue = "") String activationPassword,
                 @RequestParam(defaultValue = "") String activationPasswordConfirmation,
                 @RequestParam(required = false) String transactionToken,
                 HttpServletRequest request, Model model, Locale locale) {
        if (!activationPassword.matches("[0-9]{4,8}")) {
            return issuePage(operator, "console.token.activationPasswordFormat", request, model);
        }
        if (!activationPassword.equals(activationPasswordConfirmation)) {
            return issuePage(operator, "console.token.activationPasswordMismatch", request, model);
        }
        char[] password = activationPassword.toCharArray();
        Issuance issuance;
        try {
            issuance = logins.issue(operator, ClientAddress.of(request), transactionToken, password, locale);
        } finally {
            Arrays.fill(password, '\0');
        }
        if (issuance instanceof Issuance.Issued) {
            return "redirect:/console/token/confirm";
        }
        if (issuance instanceof Issuance.Refused refused) {
            return issuePage(operator, refused.messageKey(), request, model);
        }
        if (issuance instanceof Issuance.AlreadyDone) {
            return "redirect:" + tokens.next(operator) + "?" + ConfirmPage.ALREADY_DONE;
        }
        // Issuance.NotNeeded: on to where the operator's token stands now.
        return "redirect:" + tokens.next(operator);
    }

    @GetMapping("/console/token/confirm")
    String confirmation(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
                        HttpServletRequest request, Model model) {
        String elsewhere = whereInsteadOfConfirmation(operator, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        return confirmPage(operator, logins.holdConfirmation(operator, ClientAddress.of(request)), null, model);
    }

    @PostMapping("/console/token/confirm")
    String confirm(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
                   @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                   HttpServletRequest request, HttpServletResponse response, Model model) {
        String elsewhere = whereInsteadOfConfirmation(operator, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        String address = ClientAddress.of(request);
        Execution<OperatorLogins.TokenConfirmation, OperatorLogins.TokenConfirmation> execution =
                logins.confirmToken(operator, address, transactionToken, otp);
        if (execution instanceof Execution.Done<OperatorLogins.TokenConfirmation, OperatorLogins.TokenConfirmation>) {
            factors.grantOtpFactor(request, response);
            return "redirect:/console";
        }
        if (execution instanceof Execution.WrongCode<OperatorLogins.TokenConfirmation, OperatorLogins.TokenConfirmation> wrong) {
            return confirmPage(operator, wrong.formToken(), ConsoleAnswers.message(wrong), model);
        }
        if (execution instanceof Execution.Refused<OperatorLogins.TokenConfirmation, OperatorLogins.TokenConfirmation> refused) {
            if (refused.locked()) {
                return "redirect:" + tokens.next(operator);
            }
            return confirmPage(operator, logins.holdConfirmation(operator, address), "console.error.otpNotActivated", model);
        }
        if (execution instanceof Execution.AlreadyDone<OperatorLogins.TokenConfirmation, OperatorLogins.TokenConfirmation>
                || execution instanceof Execution.ChangedMeanwhile<OperatorLogins.TokenConfirmation, OperatorLogins.TokenConfirmation>) {
            // Another submission of this form is (or was) being answered.
            return "redirect:/console/token/confirm?" + ConfirmPage.ALREADY_DONE;
        }
        throw new IllegalStateException("An execution of an unknown kind: " + execution.getClass().getName());
    }

    private String otpPage(OperatorAccount operator, boolean locked, String formToken, String otpError,
                           HttpServletRequest request, Model model) {
        model.addAttribute("locked", locked);
        model.addAttribute("otpError", locked ? null : otpError);
        model.addAttribute("transactionToken", locked ? null
                : formToken != null ? formToken : logins.holdOtpLogin(operator, ClientAddress.of(request)));
        return "console/otp";
    }

    private String issuePage(OperatorAccount operator, String error, HttpServletRequest request, Model model) {
        model.addAttribute("error", error);
        model.addAttribute("mailAddress", operator.mailAddress());
        model.addAttribute("transactionToken", logins.holdIssuance(operator, ClientAddress.of(request)));
        return "console/token-issue";
    }

    private String confirmPage(OperatorAccount operator, String formToken, String otpError, Model model) {
        model.addAttribute("otpError", otpError);
        model.addAttribute("status", tokens.status(operator).orElseThrow());
        model.addAttribute("transactionToken", formToken);
        return "console/token-confirm";
    }

    /** CLGI004 is for a token issued (and perhaps activated on the phone meanwhile) but not yet confirmed in this login. */
    private String whereInsteadOfConfirmation(OperatorAccount operator, Authentication authentication) {
        if (ConsoleFactors.hasOtpFactor(authentication)) {
            return "redirect:/console";
        }
        return switch (tokens.situation(operator)) {
            case PENDING, ACTIVE -> null;
            case NONE, LOCKED -> "redirect:" + tokens.next(operator);
        };
    }
}
