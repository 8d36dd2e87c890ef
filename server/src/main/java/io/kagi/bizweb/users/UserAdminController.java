package io.kagi.bizweb.users;

import io.kagi.bizweb.portal.OtpError;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;
import io.kagi.platform.BankTime;
import io.kagi.bizweb.portal.Problems;

import java.util.List;
import java.util.Optional;

import io.kagi.authority.TokenState;
import io.kagi.authority.TokenStatus;
import io.kagi.bizweb.portal.Colleagues.Colleague;
import io.kagi.confirmation.Execution;
import io.kagi.bizweb.portal.ExecutionAnswers;
import io.kagi.bizweb.users.UserForms.NewUser;
import io.kagi.bizweb.users.UserForms.UserOperation;
import io.kagi.bizweb.users.UserForms.UserOperationForm;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 利用者管理, for the master and the administrators: BUSR001 (the company's users with their login
 * and token state), BUSR002 (add a user: input), BUSR005 (one user and what can be done to them),
 * BUSR003 (confirm any change with a fresh OTP), BUSR004 (done; for a new user, the initial password,
 * shown this once). Never on oneself; an administrator never acts on the master (the bank does).
 */
@Controller
@RequestMapping("/bizweb/users")
class UserAdminController {

    private static final ExecutionAnswers ANSWERS = new ExecutionAnswers("users", "/bizweb/users", "users.changedMeanwhile");

    private final Colleagues colleagues;
    private final PortalTokens tokens;
    private final UserAdministration administration;
    private final BankTime bankTime;

    UserAdminController(Colleagues colleagues, PortalTokens tokens, UserAdministration administration, BankTime bankTime) {
        this.bankTime = bankTime;
        this.colleagues = colleagues;
        this.tokens = tokens;
        this.administration = administration;
    }

    /** A user as BUSR001 and BUSR005 show them; {@code reissueHeld}: revoked, a new token not allowed yet. */
    record UserView(Colleague user, String tokenState, String tokenUserId, boolean administrable, boolean reissueHeld) {
    }

    @GetMapping
    String list(@AuthenticationPrincipal PortalAccount user, HttpServletResponse response, Model model) {
        Colleague me = colleagues.current(user);
        if (!me.canAdministerUsers()) {
            return Problems.forbidden(response, model, "problem.reason.notAdministrator");
        }
        List<UserView> users = colleagues.ofCompany(me.companyId()).stream().map(other -> view(me, other)).toList();
        model.addAttribute("users", users);
        return "bizweb/users";
    }

    @GetMapping("/new")
    String addition(@AuthenticationPrincipal PortalAccount user, HttpServletResponse response, Model model) {
        if (!colleagues.current(user).canAdministerUsers()) {
            return Problems.forbidden(response, model, "problem.reason.notAdministrator");
        }
        model.addAttribute("form", NewUser.empty());
        return "bizweb/user-form";
    }

    @PostMapping("/new")
    String confirmAddition(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") NewUser form,
                           BindingResult errors, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!colleagues.current(user).canAdministerUsers()) {
            return Problems.forbidden(response, model, "problem.reason.notAdministrator");
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            return "bizweb/user-form";
        }
        UserAdministration.UserChange change = UserAdministration.UserChange.addition(form);
        return confirmPage(null, change, administration.hold(user, ClientAddresses.of(request), change), null, model);
    }

    @GetMapping("/{id}")
    String show(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletResponse response,
                Model model) {
        Colleague me = colleagues.current(user);
        Optional<Colleague> target = colleagues.find(me.companyId(), id);
        if (target.isEmpty()) {
            return Problems.notFound(response, model);
        }
        String refusal = refusal(me, target.get());
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        model.addAttribute("target", view(me, target.get()));
        return "bizweb/user";
    }

    /** BUSR005 → BUSR003: one operation on a user (for ROLE, with the new role and approval right). */
    @PostMapping("/{id}/confirm")
    String confirm(@AuthenticationPrincipal PortalAccount user, @PathVariable long id,
                   @ModelAttribute("form") UserOperationForm form, BindingResult errors, HttpServletRequest request,
                   HttpServletResponse response, Model model, RedirectAttributes redirect) {
        Colleague me = colleagues.current(user);
        Optional<Colleague> target = colleagues.find(me.companyId(), id);
        if (target.isEmpty()) {
            return Problems.notFound(response, model);
        }
        String refusal = refusal(me, target.get());
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        UserOperation operation = form.op();
        if (operation == null || operation == UserOperation.ADD || !applicable(operation, target.get(), form)) {
            redirect.addFlashAttribute("flashError", "users.notApplicable");
            return "redirect:/bizweb/users/" + id;
        }
        UserAdministration.UserChange change = UserAdministration.UserChange.on(operation, id, form.role(),
                Boolean.TRUE.equals(form.approvalRight()));
        return confirmPage(view(me, target.get()), change, administration.hold(user, ClientAddresses.of(request), change),
                null, model);
    }

    /** BUSR003 → BUSR004: exactly the operation BUSR003 showed (held on the server), once, after a fresh OTP. */
    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @RequestParam(required = false) String transactionToken,
                   @RequestParam(required = false) String otp, HttpServletRequest request, HttpServletResponse response,
                   Model model, RedirectAttributes redirect) {
        Colleague me = colleagues.current(user);
        if (!me.canAdministerUsers()) {
            return Problems.forbidden(response, model, "problem.reason.notAdministrator");
        }
        String address = ClientAddresses.of(request);
        Execution<UserAdministration.UserChange, UserAdministration.Made> execution =
                administration.execute(user, address, transactionToken, otp);
        if (execution instanceof Execution.ChangedMeanwhile<UserAdministration.UserChange, UserAdministration.Made> stale
                && stale.operation().operation() == UserOperation.ADD) {
            NewUser newUser = stale.operation().newUser();
            BindingResult taken = new BeanPropertyBindingResult(newUser, "form");
            taken.rejectValue("loginId", "error.loginIdTaken");
            model.addAttribute("form", newUser);
            model.addAttribute(BindingResult.MODEL_KEY_PREFIX + "form", taken);
            return "bizweb/user-form";
        }
        return ANSWERS.answer(execution, redirect, done -> {
            UserOperation operation = done.operation().operation();
            model.addAttribute("doneOperation", operation.name());
            model.addAttribute("doneLoginId", done.result().loginId());
            // Shown once on this page, never put into the session or any table in clear.
            model.addAttribute("initialPassword", done.result().initialPassword());
            if (operation == UserOperation.REVOKE_TOKEN) {
                tokens.status(done.result().userId()).flatMap(tokens::reissueAllowedFrom)
                        .ifPresent(from -> model.addAttribute("reissueAllowedFrom", bankTime.at(from)));
            }
            return "bizweb/user-done";
        }, wrong -> {
            UserAdministration.UserChange change = wrong.operation();
            UserView target = change.targetId() == null ? null
                    : colleagues.find(me.companyId(), change.targetId()).map(other -> view(me, other)).orElse(null);
            return confirmPage(target, change, wrong.formToken(), OtpError.of(wrong), model);
        });
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("doneOperation")) {
            return "redirect:/bizweb/users";
        }
        return "bizweb/user-done";
    }

    /** Why {@code me} may not administer {@code target} (a message key), or null. */
    private static String refusal(Colleague me, Colleague target) {
        if (!me.canAdministerUsers()) {
            return "problem.reason.notAdministrator";
        }
        if (target.id() == me.id()) {
            return "problem.reason.self";
        }
        if (!me.mayAdminister(target)) {
            return "problem.reason.master";
        }
        return null;
    }

    /** Whether the operation makes sense for the user as they are now. */
    private boolean applicable(UserOperation operation, Colleague target, UserOperationForm form) {
        Optional<TokenState> token = tokens.status(target.id()).map(TokenStatus::state);
        return switch (operation) {
            case ADD -> true;
            case ROLE -> form.role() != null && UserForms.GRANTABLE_ROLES.contains(form.role())
                    && target.role() != PortalAccount.Role.MASTER;
            case LOCK_LOGIN -> !target.loginLocked();
            case UNLOCK_LOGIN -> target.loginLocked();
            case REVOKE_TOKEN -> token.filter(state -> state == TokenState.ISSUED || state == TokenState.ACTIVE
                    || state == TokenState.LOCKED).isPresent();
            case UNLOCK_TOKEN -> token.filter(state -> state == TokenState.LOCKED).isPresent();
            case ALLOW_REISSUE -> tokens.reissueHeld(target.id());
        };
    }

    private UserView view(Colleague me, Colleague user) {
        Optional<TokenStatus> status = tokens.status(user.id());
        return new UserView(user, status.map(s -> s.state().name()).orElse("NONE"),
                status.map(s -> s.userId().digits()).orElse(null), me.mayAdminister(user),
                status.filter(s -> s.state() == TokenState.REVOKED).isPresent() && tokens.reissueHeld(user.id()));
    }

    private static String confirmPage(UserView target, UserAdministration.UserChange change, String formToken,
                                      OtpError otpError, Model model) {
        UserOperationForm form = new UserOperationForm(change.operation().name(), change.targetId(), change.loginId(),
                change.displayName(), change.mailAddress(), change.role(), change.approvalRight(), "", formToken);
        BindingResult errors = new BeanPropertyBindingResult(form, "form");
        if (otpError != null) {
            otpError.rejectOn(errors);
        }
        model.addAttribute("target", target);
        model.addAttribute("form", form);
        model.addAttribute(BindingResult.MODEL_KEY_PREFIX + "form", errors);
        model.addAttribute("transactionToken", formToken);
        return "bizweb/user-confirm";
    }
}
