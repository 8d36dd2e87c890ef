package io.kagi.console.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kagi.confirmation.Execution;
import io.kagi.console.OperatorAccount;
import io.kagi.console.OperatorAdministration;
import io.kagi.console.OperatorAdministration.Action;
import io.kagi.console.OperatorAdministration.Addition;
import io.kagi.console.OperatorAdministration.Changed;
import io.kagi.console.OperatorAdministration.NewOperator;
import io.kagi.console.OperatorAdministration.OperatorChange;
import io.kagi.console.Operators;
import io.kagi.platform.MailAddresses;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 運用者: COPR001 lists the operators (every role may read it); a supervisor adds one (COPR002 the
 * form, COPR003 the confirm screen with a fresh OTP, COPR004 the temporary password shown once; a
 * supervisor waits for a second supervisor's approval) and resets a password, unlocks, disables or
 * enables another operator (COPR005, confirmed with a fresh OTP).
 */
@Controller
class OperatorController {

    private final Operators operators;
    private final OperatorAdministration administration;

    OperatorController(Operators operators, OperatorAdministration administration) {
        this.operators = operators;
        this.administration = administration;
    }

    /** The form to add an operator, as typed. */
    record OperatorForm(String loginId, String displayName, String mailAddress, String role) {
        OperatorForm {
            loginId = loginId == null ? "" : loginId.strip();
            displayName = displayName == null ? "" : displayName.strip();
            mailAddress = mailAddress == null ? "" : mailAddress.strip();
            role = role == null ? "" : role.strip();
        }

        Map<String, String> errors() {
            Map<String, String> errors = new LinkedHashMap<>();
            if (loginId.isEmpty()) {
                errors.put("loginId", "console.error.required");
            } else if (!NewOperator.isLoginId(loginId)) {
                errors.put("loginId", "console.operators.loginIdFormat");
            }
            if (displayName.isEmpty()) {
                errors.put("displayName", "console.error.required");
            } else if (displayName.length() > 60) {
                errors.put("displayName", "console.operators.nameTooLong");
            }
            if (mailAddress.isEmpty()) {
                errors.put("mailAddress", "console.error.required");
            } else if (!MailAddresses.isValid(mailAddress)) {
                errors.put("mailAddress", "console.operators.mailFormat");
            }
            if (chosenRole() == null) {
                errors.put("role", "console.error.required");
            }
            return errors;
        }

        OperatorAccount.Role chosenRole() {
            for (OperatorAccount.Role value : OperatorAccount.Role.values()) {
                if (value.name().equals(role)) {
                    return value;
                }
            }
            return null;
        }

        NewOperator toNewOperator() {
            return new NewOperator(loginId, displayName, mailAddress, chosenRole());
        }
    }

    @GetMapping("/console/operators")
    String list(Model model) {
        model.addAttribute("operators", operators.list());
        return "console/operators";
    }

    @GetMapping("/console/operators/new")
    String form(Model model) {
        model.addAttribute("form", new OperatorForm("", "", "", "OPERATOR"));
        model.addAttribute("errors", Map.of());
        return "console/operator-new";
    }

    @PostMapping("/console/operators/new/confirm")
    String confirm(@AuthenticationPrincipal OperatorAccount supervisor, @ModelAttribute("form") OperatorForm form,
                   HttpServletRequest request, Model model) {
        Map<String, String> errors = new LinkedHashMap<>(form.errors());
        if (!errors.containsKey("loginId") && administration.loginIdTaken(form.loginId())) {
            errors.put("loginId", "console.operators.loginIdTaken");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/operator-new";
        }
        NewOperator operator = form.toNewOperator();
        return showAddConfirm(operator, administration.holdAddition(supervisor, ClientAddress.of(request), operator),
                null, model);
    }

    @PostMapping("/console/operators/new/add")
    String add(@AuthenticationPrincipal OperatorAccount supervisor, @RequestParam(required = false) String otp,
               @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
               RedirectAttributes redirect) {
        Execution<NewOperator, Addition> execution =
                administration.add(supervisor, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/operators", redirect, done -> {
            Addition addition = done.result();
            if (addition instanceof Addition.Added added) {
                model.addAttribute("messageKey", "console.operators.added");
                model.addAttribute("loginId", added.loginId());
                model.addAttribute("temporaryPassword", added.temporaryPassword());
                return "console/operator-password";
            }
            if (addition instanceof Addition.AwaitingApproval) {
                redirect.addFlashAttribute("flashNotice", "console.pending.proposed");
                return "redirect:/console/approvals";
            }
            if (addition instanceof Addition.LoginIdTaken) {
                NewOperator operator = done.operation();
                model.addAttribute("form", new OperatorForm(operator.loginId(), operator.displayName(),
                        operator.mailAddress(), operator.role().name()));
                model.addAttribute("errors", Map.of("loginId", "console.operators.loginIdTaken"));
                return "console/operator-new";
            }
            throw new IllegalStateException("An addition of an unknown kind: " + addition.getClass().getName());
        }, wrong -> showAddConfirm(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    @GetMapping("/console/operators/action")
    String changeConfirmation(@AuthenticationPrincipal OperatorAccount supervisor, @RequestParam long operator,
                              @RequestParam Action action, HttpServletRequest request, Model model,
                              RedirectAttributes redirect) {
        if (operator == supervisor.id()) {
            redirect.addFlashAttribute("flashError", "console.operators.notYourself");
            return "redirect:/console/operators";
        }
        OperatorChange change = new OperatorChange(listed(operator).id(), action);
        return showChangeConfirm(change, administration.holdChange(supervisor, ClientAddress.of(request), change), null,
                model);
    }

    /** Carries out the change confirmed under the form token (fields sent with it are not read). */
    @PostMapping("/console/operators/action")
    String change(@AuthenticationPrincipal OperatorAccount supervisor, @RequestParam(required = false) String otp,
                  @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
                  RedirectAttributes redirect) {
        Execution<OperatorChange, Changed> execution =
                administration.change(supervisor, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/operators", redirect, done -> {
            Changed changed = done.result();
            if (changed.temporaryPassword() != null) {
                model.addAttribute("messageKey", changed.messageKey());
                model.addAttribute("loginId", operators.operator(done.operation().operatorId())
                        .map(Operators.Listed::loginId).orElse(""));
                model.addAttribute("temporaryPassword", changed.temporaryPassword());
                return "console/operator-password";
            }
            redirect.addFlashAttribute(changed.messageKey().endsWith(".true") ? "flashNotice" : "flashError",
                    changed.messageKey());
            return "redirect:/console/operators";
        }, wrong -> showChangeConfirm(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    private Operators.Listed listed(long id) {
        return operators.operator(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showAddConfirm(NewOperator operator, String formToken, String otpError, Model model) {
        model.addAttribute("page", new ConfirmPage("COPR003",
                operator.role() == OperatorAccount.Role.SUPERVISOR ? "console.operators.add.supervisor"
                        : "console.operators.add.title",
                operator.role() == OperatorAccount.Role.SUPERVISOR ? "console.operators.add.supervisorLead"
                        : "console.operators.add.lead",
                List.of(ConfirmPage.Row.text("console.operators.loginId", operator.loginId()),
                        ConfirmPage.Row.text("console.operators.name", operator.displayName()),
                        ConfirmPage.Row.text("console.operators.mail", operator.mailAddress()),
                        ConfirmPage.Row.message("console.operators.role", "console.role." + operator.role().name())),
                "/console/operators/new/add", "/console/operators/new"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }

    private String showChangeConfirm(OperatorChange change, String formToken, String otpError, Model model) {
        Operators.Listed operator = listed(change.operatorId());
        model.addAttribute("page", new ConfirmPage("COPR005", "console.operators.action." + change.action().name(),
                "console.operators.action.lead",
                List.of(ConfirmPage.Row.text("console.operators.loginId", operator.loginId()),
                        ConfirmPage.Row.text("console.operators.name", operator.displayName()),
                        ConfirmPage.Row.message("console.operators.role", "console.role." + operator.role().name())),
                "/console/operators/action", "/console/operators"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }
}
