package io.kagi.console.web;

import java.util.Arrays;
import java.util.Locale;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.IssueResult;
import io.kagi.authority.VerificationResult;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * CLGI001 (the console's login), CLGI002 (the operator's OTP, at every login), CLGI003 (issuing
 * the operator's token: the activation password twice; the notice goes to the operator's registered
 * address) and CLGI004 (confirming the activated token with its first code).
 */
@Controller
class ConsoleLoginController {

    private static final String OTP = "console-otp";
    private static final String ISSUE = "console-token-issue";
    private static final String CONFIRM = "console-token-confirm";

    private final OperatorTokens tokens;
    private final ConsoleFactors factors;
    private final ConsoleConfirmations confirmations;
    private final AuditLog audit;

    ConsoleLoginController(OperatorTokens tokens, ConsoleFactors factors, ConsoleConfirmations confirmations,
                           AuditLog audit) {
        this.tokens = tokens;
        this.factors = factors;
        this.confirmations = confirmations;
        this.audit = audit;
    }

    @GetMapping("/console/login")
    String login() {
        return "console/login";
    }

    @GetMapping("/console/otp")
    String otp(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication, HttpSession session,
               Model model) {
        if (ConsoleFactors.hasOtpFactor(authentication)) {
            return "redirect:/console";
        }
        OperatorTokens.Situation situation = tokens.situation(operator);
        if (situation == OperatorTokens.Situation.NONE || situation == OperatorTokens.Situation.PENDING) {
            return "redirect:" + tokens.next(operator);
        }
        model.addAttribute("locked", situation == OperatorTokens.Situation.LOCKED);
        model.addAttribute("transactionToken", confirmations.issue(session, OTP));
        return "console/otp";
    }

    @PostMapping("/console/otp")
    String verifyOtp(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
                     @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                     HttpServletRequest request, HttpServletResponse response, HttpSession session, Model model) {
        if (ConsoleFactors.hasOtpFactor(authentication)) {
            return "redirect:/console";
        }
        String address = ClientAddress.of(request);
        ConsoleConfirmations.Check check = confirmations.check(operator, session, OTP, transactionToken, otp, address);
        if (check instanceof ConsoleConfirmations.Check.Passed) {
            factors.grantOtpFactor(request, response);
            audit.record(AuditEvent.of("OPERATOR_LOGIN_OTP_ACCEPTED", operator.actor()).subject(operator.actor())
                    .from(address).detail("factor", "otp"));
            return "redirect:/console";
        }
        if (check instanceof ConsoleConfirmations.Check.CodeRefused refused) {
            model.addAttribute("otpError", refused.messageKey());
            model.addAttribute("locked", tokens.situation(operator) == OperatorTokens.Situation.LOCKED);
            model.addAttribute("transactionToken", confirmations.issue(session, OTP));
            return "console/otp";
        }
        return "redirect:/console/otp";
    }

    @GetMapping("/console/token/issue")
    String issuance(@AuthenticationPrincipal OperatorAccount operator, HttpSession session, Model model) {
        if (tokens.situation(operator) != OperatorTokens.Situation.NONE) {
            return "redirect:" + tokens.next(operator);
        }
        model.addAttribute("mailAddress", operator.mailAddress());
        model.addAttribute("transactionToken", confirmations.issue(session, ISSUE));
        return "console/token-issue";
    }

    @PostMapping("/console/token/issue")
    String issue(@AuthenticationPrincipal OperatorAccount operator,
                 @RequestParam(defaultValue = "") String activationPassword,
                 @RequestParam(defaultValue = "") String activationPasswordConfirmation,
                 @RequestParam(required = false) String transactionToken,
                 HttpServletRequest request, HttpSession session, Model model, Locale locale, RedirectAttributes redirect) {
        if (tokens.situation(operator) != OperatorTokens.Situation.NONE) {
            return "redirect:" + tokens.next(operator);
        }
        if (!confirmations.consume(session, ISSUE, transactionToken)) {
            redirect.addFlashAttribute("flashError", "console.error.doubleSubmit");
            return "redirect:/console/token/issue";
        }
        String error = null;
        if (!activationPassword.matches("[0-9]{4,8}")) {
            error = "console.token.activationPasswordFormat";
        } else if (!activationPassword.equals(activationPasswordConfirmation)) {
            error = "console.token.activationPasswordMismatch";
        }
        if (error == null) {
            char[] password = activationPassword.toCharArray();
            IssueResult result;
            try {
                result = tokens.issue(operator, password, locale, ClientAddress.of(request));
            } finally {
                Arrays.fill(password, '\0');
            }
            if (result instanceof IssueResult.Issued) {
                return "redirect:/console/token/confirm";
            }
            error = result instanceof IssueResult.CoolingOff ? "console.token.coolingOff" : "console.token.unavailable";
        }
        model.addAttribute("error", error);
        model.addAttribute("mailAddress", operator.mailAddress());
        model.addAttribute("transactionToken", confirmations.issue(session, ISSUE));
        return "console/token-issue";
    }

    @GetMapping("/console/token/confirm")
    String confirmation(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
                        HttpSession session, Model model) {
        String elsewhere = whereInsteadOfConfirmation(operator, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        model.addAttribute("status", tokens.status(operator).orElseThrow());
        model.addAttribute("transactionToken", confirmations.issue(session, CONFIRM));
        return "console/token-confirm";
    }

    @PostMapping("/console/token/confirm")
    String confirm(@AuthenticationPrincipal OperatorAccount operator, Authentication authentication,
                   @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                   HttpServletRequest request, HttpServletResponse response, HttpSession session, Model model) {
        String elsewhere = whereInsteadOfConfirmation(operator, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        String address = ClientAddress.of(request);
        if (!confirmations.consume(session, CONFIRM, transactionToken)) {
            return "redirect:/console/token/confirm";
        }
        String error = "console.error.otpFormat";
        if (otp != null && otp.matches("[0-9]{6,8}")) {
            VerificationResult result = tokens.verify(operator, otp, address);
            if (result instanceof VerificationResult.Accepted) {
                factors.grantOtpFactor(request, response);
                audit.record(AuditEvent.of("OPERATOR_TOKEN_CONFIRMED", operator.actor()).subject(operator.actor())
                        .from(address).detail("factor", "otp"));
                return "redirect:/console";
            }
            error = result instanceof VerificationResult.NoUsableToken ? "console.error.otpNotActivated" : "console.error.otpWrong";
        }
        model.addAttribute("otpError", error);
        model.addAttribute("status", tokens.status(operator).orElseThrow());
        model.addAttribute("transactionToken", confirmations.issue(session, CONFIRM));
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
