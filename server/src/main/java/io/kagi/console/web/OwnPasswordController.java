package io.kagi.console.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.kagi.console.OperatorAccount;
import io.kagi.console.OperatorAdministration;
import io.kagi.console.Operators;
import io.kagi.signin.PasswordPolicy;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * CPWD001: every operator changes their own password — the current one, the new one twice
 * ({@link PasswordPolicy}). An operator with a temporary password is kept here until they have
 * ({@link OperatorStandingGuard}).
 */
@Controller
class OwnPasswordController {

    private final OperatorAdministration administration;
    private final Operators operators;

    OwnPasswordController(OperatorAdministration administration, Operators operators) {
        this.administration = administration;
        this.operators = operators;
    }

    /** The form as typed. */
    record PasswordForm(String currentPassword, String newPassword, String newPasswordConfirmation,
                        String transactionToken) {
        PasswordForm {
            currentPassword = currentPassword == null ? "" : currentPassword;
            newPassword = newPassword == null ? "" : newPassword;
            newPasswordConfirmation = newPasswordConfirmation == null ? "" : newPasswordConfirmation;
        }

        Map<String, String> errors(String loginId) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (currentPassword.isEmpty()) {
                errors.put("currentPassword", "console.error.required");
            }
            Optional<PasswordPolicy.Problem> problem = PasswordPolicy.problem(newPassword, loginId);
            if (problem.isPresent()) {
                errors.put("newPassword", "console.password.problem." + problem.get().name());
            } else if (PasswordPolicy.normalise(newPassword).equals(PasswordPolicy.normalise(currentPassword))) {
                errors.put("newPassword", "console.password.unchanged");
            } else if (!newPassword.equals(newPasswordConfirmation)) {
                errors.put("newPasswordConfirmation", "console.password.mismatch");
            }
            return errors;
        }

        @Override
        public String toString() {
            return "PasswordForm[(passwords hidden)]";
        }
    }

    @GetMapping("/console/password")
    String form(@AuthenticationPrincipal OperatorAccount operator, HttpServletRequest request, Model model) {
        return page(operator, administration.holdOwnPassword(operator, ClientAddress.of(request)), Map.of(), model);
    }

    @PostMapping("/console/password")
    String change(@AuthenticationPrincipal OperatorAccount operator, @ModelAttribute("form") PasswordForm form,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Map<String, String> errors = form.errors(operator.loginId());
        if (!errors.isEmpty()) {
            // The form was not used up: the same one goes again, corrected.
            return page(operator, form.transactionToken(), errors, model);
        }
        Optional<Operators.PasswordChange> changed = administration.changeOwnPassword(operator, ClientAddress.of(request),
                form.transactionToken(), form.currentPassword(), form.newPassword());
        if (changed.isEmpty()) {
            return "redirect:/console/password?" + ConfirmPage.ALREADY_DONE;
        }
        if (changed.get() == Operators.PasswordChange.CURRENT_WRONG) {
            return page(operator, administration.holdOwnPassword(operator, ClientAddress.of(request)),
                    Map.of("currentPassword", "console.password.currentWrong"), model);
        }
        redirect.addFlashAttribute("flashNotice", "console.password.changed");
        return "redirect:/console";
    }

    private String page(OperatorAccount operator, String formToken, Map<String, String> errors, Model model) {
        model.addAttribute("mustChange", operators.standing(operator.id())
                .map(Operators.Standing::passwordMustChange).orElse(false));
        model.addAttribute("errors", errors);
        model.addAttribute("transactionToken", formToken);
        return "console/password";
    }
}
