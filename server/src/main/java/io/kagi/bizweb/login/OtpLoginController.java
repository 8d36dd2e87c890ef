package io.kagi.bizweb.login;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.LoginOutcomes;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalFactors;
import io.kagi.bizweb.portal.OtpError;
import io.kagi.bizweb.portal.PortalTokens;

import io.kagi.authority.TokenStatus;
import io.kagi.bizweb.tokens.TokenForms.OtpForm;
import io.kagi.confirmation.Execution;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * BLGI010, the one-time password after the login password (when the service's policy asks for
 * it, or when a page needs the OTP factor), and BLGI011, which tells a user whose token is locked
 * who can unlock it — shown only to a user whose password was right.
 */
@Controller
class OtpLoginController {

    private final PortalTokens tokens;
    private final PortalFactors factors;
    private final OtpLogins logins;
    private final LoginOutcomes outcomes;
    private final RequestCache requestCache = new HttpSessionRequestCache();

    OtpLoginController(PortalTokens tokens, PortalFactors factors, OtpLogins logins, LoginOutcomes outcomes) {
        this.tokens = tokens;
        this.factors = factors;
        this.logins = logins;
        this.outcomes = outcomes;
    }

    @GetMapping("/bizweb/otp")
    String otp(@AuthenticationPrincipal PortalAccount user, Authentication authentication, HttpServletRequest request,
               Model model) {
        Optional<TokenStatus> status = tokens.status(user);
        String elsewhere = whereInstead(status, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        model.addAttribute("form", OtpForm.empty());
        return page(status, logins.open(user, ClientAddresses.of(request)), model);
    }

    @PostMapping("/bizweb/otp")
    String verify(@AuthenticationPrincipal PortalAccount user, Authentication authentication,
                  @ModelAttribute("form") OtpForm form, BindingResult errors, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        if (PortalFactors.hasOtpFactor(authentication)) {
            return "redirect:/bizweb/top";
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            Optional<TokenStatus> status = tokens.status(user);
            String elsewhere = whereInstead(status, authentication);
            if (elsewhere != null) {
                return elsewhere;
            }
            // The form was not used up: the same one goes again.
            return page(status, form.transactionToken(), model);
        }
        // No read of the token's status first (issue 24): the verification reads the token, and a
        // token that is not usable is refused there (Refused, answered below by where the user goes).
        Execution<OtpLogins.OtpLogin, OtpLogins.OtpLogin> execution =
                logins.verify(user, ClientAddresses.of(request), form.transactionToken(), form.otp());
        if (execution instanceof Execution.Done<OtpLogins.OtpLogin, OtpLogins.OtpLogin>) {
            SavedRequest saved = requestCache.getRequest(request, response);
            requestCache.removeRequest(request, response);
            factors.grantOtpFactor(request, response);
            return "redirect:" + continueTo(saved, request);
        }
        if (execution instanceof Execution.WrongCode<OtpLogins.OtpLogin, OtpLogins.OtpLogin> wrong) {
            OtpError.of(wrong).rejectOn(errors);
            return page(tokens.status(user), wrong.formToken(), model);
        }
        if (execution instanceof Execution.Refused<OtpLogins.OtpLogin, OtpLogins.OtpLogin> refused) {
            return "redirect:" + (refused.locked() ? "/bizweb/otp/locked" : outcomes.nextAfterPassword(tokens.situation(user)));
        }
        if (execution instanceof Execution.AlreadyDone<OtpLogins.OtpLogin, OtpLogins.OtpLogin>
                || execution instanceof Execution.ChangedMeanwhile<OtpLogins.OtpLogin, OtpLogins.OtpLogin>) {
            // Another submission of this form is (or was) being answered.
            return "redirect:/bizweb/otp";
        }
        throw new IllegalStateException("An execution of an unknown kind: " + execution.getClass().getName());
    }

    /** BLGI010 with the token's status this request has read already (one read of it a page, issue 24). */
    private String page(Optional<TokenStatus> status, String formToken, Model model) {
        model.addAttribute("transactionToken", formToken);
        model.addAttribute("neverConfirmed", status.filter(tokens::activatedButNeverConfirmed).isPresent());
        return "bizweb/otp";
    }

    @GetMapping("/bizweb/otp/locked")
    String locked(@AuthenticationPrincipal PortalAccount user, Model model) {
        if (tokens.situation(user) != PortalTokens.Situation.LOCKED) {
            return "redirect:/bizweb/otp";
        }
        model.addAttribute("master", user.role() == PortalAccount.Role.MASTER);
        return "bizweb/otp-locked";
    }

    /** Where a user whose token stands so goes instead of BLGI010, or null when the OTP is the next step. */
    private String whereInstead(Optional<TokenStatus> status, Authentication authentication) {
        PortalTokens.Situation situation = status.map(tokens::situation).orElse(PortalTokens.Situation.NONE);
        if (situation == PortalTokens.Situation.LOCKED) {
            return "redirect:/bizweb/otp/locked";
        }
        if (situation != PortalTokens.Situation.ACTIVE) {
            return "redirect:" + outcomes.nextAfterPassword(situation);
        }
        return PortalFactors.hasOtpFactor(authentication) ? "redirect:/bizweb/top" : null;
    }

    private static String continueTo(SavedRequest saved, HttpServletRequest request) {
        if (saved != null) {
            String path = java.net.URI.create(saved.getRedirectUrl()).getRawPath();
            String prefix = request.getContextPath() + "/bizweb/";
            if (path != null && path.startsWith(prefix) && !path.startsWith(prefix + "otp")) {
                return path.substring(request.getContextPath().length());
            }
        }
        return "/bizweb/top";
    }
}
