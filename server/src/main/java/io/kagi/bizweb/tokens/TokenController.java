package io.kagi.bizweb.tokens;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalFactors;
import io.kagi.bizweb.portal.OtpError;
import io.kagi.bizweb.portal.PortalTokens;

import java.util.Locale;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.IssueResult;
import io.kagi.authority.TokenState;
import io.kagi.authority.TokenStatus;
import io.kagi.confirmation.Execution;
import io.kagi.bizweb.tokens.TokenForms.IssuanceForm;
import io.kagi.bizweb.tokens.TokenForms.OtpForm;
import io.kagi.platform.BankTime;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * ELG016 (ワンタイムパスワードトークン発行) and ELG017 (ワンタイムパスワード認証確認), reached with the
 * password factor while the user has no confirmed token. Issuing and confirming each carry a
 * transaction token against double submission; every step ends in a redirect (PRG).
 */
@Controller
@RequestMapping("/bizweb/token")
class TokenController {

    private final PortalTokens tokens;
    private final PortalFactors factors;
    private final TokenIssuance issuance;
    private final AuditLog audit;
    private final BankTime bankTime;

    TokenController(PortalTokens tokens, PortalFactors factors, TokenIssuance issuance, AuditLog audit, BankTime bankTime) {
        this.bankTime = bankTime;
        this.tokens = tokens;
        this.factors = factors;
        this.issuance = issuance;
        this.audit = audit;
    }

    @GetMapping("/issue")
    String issuance(@AuthenticationPrincipal PortalAccount user, HttpServletRequest request, Model model) {
        String elsewhere = whenAlreadyUsable(user);
        if (elsewhere != null) {
            return elsewhere;
        }
        if (tokens.reissueHeld(user.id())) {
            // No form: the page says who can allow a new token (docs/security.md, T16).
            model.addAttribute("reissueHeld", true);
            model.addAttribute("master", user.role() == PortalAccount.Role.MASTER);
            return "bizweb/token-issue";
        }
        model.addAttribute("replacesActivated", tokens.status(user).filter(tokens::activatedButNeverConfirmed).isPresent());
        model.addAttribute("form", IssuanceForm.empty());
        model.addAttribute("transactionToken", issuance.open(user, ClientAddresses.of(request)));
        return "bizweb/token-issue";
    }

    /** ELG016 → ELG017: one token and one mail per form, however often it is sent. */
    @PostMapping("/issue")
    String issue(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") IssuanceForm form,
                 BindingResult errors, HttpServletRequest request, Model model,
                 Locale locale, RedirectAttributes redirect) {
        String elsewhere = whenAlreadyUsable(user);
        if (elsewhere != null) {
            return elsewhere;
        }
        String address = ClientAddresses.of(request);
        form.validate(errors);
        if (errors.hasErrors()) {
            // The form was not used up: the same one may be sent again, corrected.
            model.addAttribute("transactionToken", form.transactionToken());
            return "bizweb/token-issue";
        }
        Execution<TokenIssuance.IssuanceRequest, TokenIssuance.Issuance> execution = issuance.issue(user, address,
                form.transactionToken(), form.mailAddress(), form.activationPassword(), locale);
        if (execution instanceof Execution.Done<TokenIssuance.IssuanceRequest, TokenIssuance.Issuance> done) {
            TokenIssuance.Issuance result = done.result();
            if (result instanceof TokenIssuance.Issuance.Issued) {
                return "redirect:/bizweb/token/confirm";
            }
            if (result instanceof TokenIssuance.Issuance.HeldAfterRevocation) {
                return "redirect:/bizweb/token/issue";
            }
            if (result instanceof TokenIssuance.Issuance.Refused refused
                    && refused.result() instanceof IssueResult.CoolingOff coolingOff) {
                errors.reject("token.coolingOff", new Object[] {bankTime.minutes(coolingOff.reissueAllowedFrom())}, null);
            } else {
                errors.reject("token.unavailable");
            }
            model.addAttribute("transactionToken", issuance.open(user, address));
            return "bizweb/token-issue";
        }
        if (execution instanceof Execution.AlreadyDone<TokenIssuance.IssuanceRequest, TokenIssuance.Issuance>) {
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:/bizweb/token/confirm";
        }
        // ChangedMeanwhile, WrongCode and Refused come only from steps that ask for a code; this one does not.
        throw new IllegalStateException("Not an outcome of a one-step form: " + execution.getClass().getName());
    }

    @PostMapping("/skip")
    String skip(@AuthenticationPrincipal PortalAccount user, HttpServletRequest request, RedirectAttributes redirect) {
        audit.record(AuditEvent.of("TOKEN_ISSUANCE_SKIPPED", user.loginId()).company(user.companyId())
                .subject("user:" + user.loginId()).from(ClientAddresses.of(request)));
        redirect.addFlashAttribute("flashNotice", "top.skipped");
        return "redirect:/bizweb/top";
    }

    @GetMapping("/confirm")
    String confirmation(@AuthenticationPrincipal PortalAccount user, Authentication authentication,
                        HttpServletRequest request, Model model) {
        TokenStatus status = tokens.status(user).orElse(null);
        String elsewhere = whereInsteadOfConfirmation(status, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        model.addAttribute("form", OtpForm.empty());
        return confirmPage(status, issuance.openConfirmation(user, ClientAddresses.of(request)), model);
    }

    @PostMapping("/confirm")
    String confirm(@AuthenticationPrincipal PortalAccount user, Authentication authentication,
                   @ModelAttribute("form") OtpForm form, BindingResult errors, HttpServletRequest request,
                   HttpServletResponse response, Model model, RedirectAttributes redirect) {
        TokenStatus status = tokens.status(user).orElse(null);
        String elsewhere = whereInsteadOfConfirmation(status, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            // The form was not used up: the same one goes again.
            return confirmPage(status, form.transactionToken(), model);
        }
        String address = ClientAddresses.of(request);
        Execution<TokenIssuance.TokenConfirmation, TokenIssuance.TokenConfirmation> execution = issuance.confirm(user,
                address, form.transactionToken(), form.otp(), "token:" + status.serviceId() + "/" + status.userId());
        if (execution instanceof Execution.Done<TokenIssuance.TokenConfirmation, TokenIssuance.TokenConfirmation>) {
            factors.grantOtpFactor(request, response);
            redirect.addFlashAttribute("flashNotice", "top.tokenReady");
            return "redirect:/bizweb/top";
        }
        if (execution instanceof Execution.WrongCode<TokenIssuance.TokenConfirmation, TokenIssuance.TokenConfirmation> wrong) {
            OtpError.of(wrong).rejectOn(errors);
            return confirmPage(status, wrong.formToken(), model);
        }
        if (execution instanceof Execution.Refused<TokenIssuance.TokenConfirmation, TokenIssuance.TokenConfirmation> refused) {
            if (refused.locked()) {
                return "redirect:/bizweb/otp/locked";
            }
            if (tokens.status(user).map(TokenStatus::state).orElse(null) != TokenState.ISSUED) {
                return "redirect:/bizweb/token/issue";
            }
            // Issued but not activated on the phone yet: the same page, with a new form.
            errors.rejectValue("otp", "error.otpNotActivated");
            return confirmPage(status, issuance.openConfirmation(user, address), model);
        }
        if (execution instanceof Execution.AlreadyDone<TokenIssuance.TokenConfirmation, TokenIssuance.TokenConfirmation>
                || execution instanceof Execution.ChangedMeanwhile<TokenIssuance.TokenConfirmation, TokenIssuance.TokenConfirmation>) {
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:/bizweb/token/confirm";
        }
        throw new IllegalStateException("An execution of an unknown kind: " + execution.getClass().getName());
    }

    private String confirmPage(TokenStatus status, String formToken, Model model) {
        model.addAttribute("status", status);
        model.addAttribute("transactionToken", formToken);
        return "bizweb/token-confirm";
    }

    /**
     * ELG016 is for users without a usable token: re-issuing an active one is token administration,
     * which needs an OTP — unless no code of it was ever accepted (activated, never confirmed: the
     * phone may not hold it), which the customer may issue again.
     */
    private String whenAlreadyUsable(PortalAccount user) {
        java.util.Optional<TokenStatus> status = tokens.status(user);
        if (status.isPresent() && tokens.activatedButNeverConfirmed(status.get())) {
            return null;
        }
        return switch (status.map(tokens::situation).orElse(PortalTokens.Situation.NONE)) {
            case ACTIVE -> "redirect:/bizweb/otp";
            case LOCKED -> "redirect:/bizweb/otp/locked";
            case NONE, PENDING -> null;
        };
    }

    private String whereInsteadOfConfirmation(TokenStatus status, Authentication authentication) {
        if (status == null) {
            return "redirect:/bizweb/token/issue";
        }
        return switch (tokens.situation(status)) {
            case NONE -> "redirect:/bizweb/token/issue";
            case LOCKED -> "redirect:/bizweb/otp/locked";
            case ACTIVE -> PortalFactors.hasOtpFactor(authentication) ? "redirect:/bizweb/top" : null;
            case PENDING -> null;
        };
    }
}
