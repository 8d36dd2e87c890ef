package io.kagi.bizweb.login;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.LoginOutcomes;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;
import io.kagi.bizweb.portal.WorkGuard;

import io.kagi.bizweb.users.UserForms.PasswordChangeForm;
import io.kagi.confirmation.Execution;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * BPWD001: a user made by the master or an administrator logs in with the initial password they
 * were given and must replace it before anything else ({@link WorkGuard} keeps them here). Then they
 * go on as after any login: to token issuance, the OTP, or the top page.
 */
@Controller
class PasswordChangeController {

    private final Colleagues colleagues;
    private final PortalTokens tokens;
    private final LoginOutcomes outcomes;
    private final InitialPasswords passwords;

    PasswordChangeController(Colleagues colleagues, PortalTokens tokens, LoginOutcomes outcomes, InitialPasswords passwords) {
        this.colleagues = colleagues;
        this.tokens = tokens;
        this.outcomes = outcomes;
        this.passwords = passwords;
    }

    @GetMapping("/bizweb/password")
    String form(@AuthenticationPrincipal PortalAccount user, HttpServletRequest request, HttpSession session, Model model) {
        if (!colleagues.mustChangePassword(user.id())) {
            session.removeAttribute(WorkGuard.MUST_CHANGE_PASSWORD);
            return "redirect:/bizweb/top";
        }
        model.addAttribute("form", PasswordChangeForm.empty());
        model.addAttribute("transactionToken", passwords.open(user, ClientAddresses.of(request)));
        return "bizweb/password-change";
    }

    @PostMapping("/bizweb/password")
    String change(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") PasswordChangeForm form,
                  BindingResult errors, HttpServletRequest request, HttpSession session, Model model,
                  RedirectAttributes redirect) {
        if (!colleagues.mustChangePassword(user.id())) {
            session.removeAttribute(WorkGuard.MUST_CHANGE_PASSWORD);
            return "redirect:/bizweb/top";
        }
        form.validate(errors, user.loginId());
        if (!errors.hasFieldErrors("currentPassword") && !colleagues.passwordMatches(user.id(), form.currentPassword())) {
            errors.rejectValue("currentPassword", "error.currentPasswordWrong");
        }
        if (errors.hasErrors()) {
            // The form was not used up: the same one goes again, corrected.
            model.addAttribute("transactionToken", form.transactionToken());
            return "bizweb/password-change";
        }
        Execution<InitialPasswords.Change, Boolean> execution =
                passwords.change(user, ClientAddresses.of(request), form.transactionToken(), form.newPassword());
        if (execution instanceof Execution.AlreadyDone<InitialPasswords.Change, Boolean>) {
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:/bizweb/password";
        }
        boolean changed = execution instanceof Execution.Done<InitialPasswords.Change, Boolean>;
        if (!changed && !(execution instanceof Execution.ChangedMeanwhile<InitialPasswords.Change, Boolean>)) {
            // WrongCode and Refused come only from steps that ask for a code; this one does not.
            throw new IllegalStateException("Not an outcome of a one-step form: " + execution.getClass().getName());
        }
        session.removeAttribute(WorkGuard.MUST_CHANGE_PASSWORD);
        redirect.addFlashAttribute(changed ? "flashNotice" : "flashError", changed ? "password.changed" : "error.doubleSubmit");
        return "redirect:" + outcomes.nextAfterPassword(tokens.situation(user));
    }
}
