package io.kagi.bizweb.web;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.TokenState;
import io.kagi.authority.TokenStatus;
import io.kagi.bizweb.web.Colleagues.Colleague;
import io.kagi.bizweb.web.UserForms.NewUser;
import io.kagi.bizweb.web.UserForms.UserOperation;
import io.kagi.bizweb.web.UserForms.UserOperationForm;
import io.kagi.platform.BankTime;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
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

    private static final String STEP = "user-execute";
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";
    private static final String PASSWORD_DIGITS = "23456789";

    private final Colleagues colleagues;
    private final PortalTokens tokens;
    private final FreshOtp freshOtp;
    private final TransactionTokens transactionTokens;
    private final AuditLog audit;
    private final BankTime bankTime;
    private final SecureRandom random = new SecureRandom();

    UserAdminController(Colleagues colleagues, PortalTokens tokens, FreshOtp freshOtp, TransactionTokens transactionTokens,
                        AuditLog audit, BankTime bankTime) {
        this.bankTime = bankTime;
        this.colleagues = colleagues;
        this.tokens = tokens;
        this.freshOtp = freshOtp;
        this.transactionTokens = transactionTokens;
        this.audit = audit;
    }

    /** A user as BUSR001 and BUSR005 show them. */
    record UserView(Colleague user, String tokenState, String tokenUserId, boolean administrable) {
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
                           BindingResult errors, HttpServletResponse response, HttpSession session, Model model) {
        if (!colleagues.current(user).canAdministerUsers()) {
            return Problems.forbidden(response, model, "problem.reason.notAdministrator");
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            return "bizweb/user-form";
        }
        model.addAttribute("form", UserOperationForm.of(UserOperation.ADD, null, form));
        return confirmPage(null, session, model);
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
                   @ModelAttribute("form") UserOperationForm form, BindingResult errors, HttpServletResponse response,
                   HttpSession session, Model model, RedirectAttributes redirect) {
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
        model.addAttribute("form", new UserOperationForm(operation.name(), id, null, null, null, form.role(),
                Boolean.TRUE.equals(form.approvalRight()), "", ""));
        return confirmPage(view(me, target.get()), session, model);
    }

    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") UserOperationForm form,
                   BindingResult errors, HttpServletRequest request, HttpServletResponse response, HttpSession session,
                   Model model, RedirectAttributes redirect) {
        Colleague me = colleagues.current(user);
        if (!me.canAdministerUsers()) {
            return Problems.forbidden(response, model, "problem.reason.notAdministrator");
        }
        UserOperation operation = form.op();
        if (operation == null) {
            return Problems.notFound(response, model);
        }
        Colleague target = null;
        if (operation != UserOperation.ADD) {
            Optional<Colleague> found = form.targetId() == null ? Optional.empty() : colleagues.find(me.companyId(), form.targetId());
            if (found.isEmpty()) {
                return Problems.notFound(response, model);
            }
            target = found.get();
            String refusal = refusal(me, target);
            if (refusal != null) {
                return Problems.forbidden(response, model, refusal);
            }
        }
        String address = ClientAddresses.of(request);
        if (!transactionTokens.consume(session, STEP, form.transactionToken())) {
            audit.record(AuditEvent.of("DOUBLE_SUBMIT_REFUSED", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(address).detail("step", STEP));
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:/bizweb/users";
        }
        if (operation == UserOperation.ADD) {
            NewUser newUser = form.newUser();
            BindingResult newUserErrors = new org.springframework.validation.BeanPropertyBindingResult(newUser, "form");
            newUser.validate(newUserErrors);
            if (newUserErrors.hasErrors()) {
                model.addAttribute("form", newUser);
                model.addAttribute("org.springframework.validation.BindingResult.form", newUserErrors);
                return "bizweb/user-form";
            }
        } else if (operation == UserOperation.ROLE && !applicable(operation, target, form)) {
            redirect.addFlashAttribute("flashError", "users.notApplicable");
            return "redirect:/bizweb/users/" + target.id();
        }
        FreshOtp.Check check = freshOtp.check(user, form.otp(), address, "BUSR003", "users", errors);
        if (check instanceof FreshOtp.Check.Refused refused) {
            return refused.redirect();
        }
        if (check instanceof FreshOtp.Check.Wrong) {
            return confirmPage(target == null ? null : view(me, target), session, model);
        }
        return perform(me, user, operation, target, form, address, model, redirect);
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("doneOperation")) {
            return "redirect:/bizweb/users";
        }
        return "bizweb/user-done";
    }

    private String perform(Colleague me, PortalAccount user, UserOperation operation, Colleague target,
                           UserOperationForm form, String address, Model model, RedirectAttributes redirect) {
        String subjectLogin = target == null ? form.loginId() : target.loginId();
        boolean done;
        switch (operation) {
            case ADD -> {
                String initialPassword = initialPassword();
                Optional<Long> added = colleagues.add(me.companyId(), form.newUser(), initialPassword);
                if (added.isEmpty()) {
                    NewUser newUser = form.newUser();
                    BindingResult taken = new org.springframework.validation.BeanPropertyBindingResult(newUser, "form");
                    taken.rejectValue("loginId", "error.loginIdTaken");
                    model.addAttribute("form", newUser);
                    model.addAttribute("org.springframework.validation.BindingResult.form", taken);
                    return "bizweb/user-form";
                }
                redirect.addFlashAttribute("initialPassword", initialPassword);
                done = true;
            }
            case ROLE -> done = colleagues.changeRole(me.companyId(), target.id(), form.role(),
                    Boolean.TRUE.equals(form.approvalRight()));
            case LOCK_LOGIN -> done = colleagues.lockLogin(me.companyId(), target.id());
            case UNLOCK_LOGIN -> done = colleagues.unlockLogin(me.companyId(), target.id());
            case REVOKE_TOKEN -> done = tokens.revoke(target.id(), user, address);
            default -> done = tokens.unlock(target.id(), user, address);
        }
        if (!done) {
            redirect.addFlashAttribute("flashError", "users.changedMeanwhile");
            return "redirect:/bizweb/users";
        }
        AuditEvent event = AuditEvent.of("USER_" + operation.name(), user.loginId()).company(me.companyId())
                .subject("user:" + subjectLogin).from(address).detail("factor", "otp");
        if (operation == UserOperation.ADD || operation == UserOperation.ROLE) {
            event = event.detail("role", form.role()).detail("approvalRight",
                    String.valueOf("ADMIN".equals(form.role()) && Boolean.TRUE.equals(form.approvalRight())));
        }
        audit.record(event);
        redirect.addFlashAttribute("doneOperation", operation.name());
        redirect.addFlashAttribute("doneLoginId", subjectLogin);
        if (operation == UserOperation.REVOKE_TOKEN) {
            tokens.status(target.id()).flatMap(tokens::reissueAllowedFrom)
                    .ifPresent(from -> redirect.addFlashAttribute("reissueAllowedFrom", bankTime.at(from)));
        }
        return "redirect:/bizweb/users/done";
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
        };
    }

    private UserView view(Colleague me, Colleague user) {
        Optional<TokenStatus> status = tokens.status(user.id());
        return new UserView(user, status.map(s -> s.state().name()).orElse("NONE"),
                status.map(s -> s.userId().digits()).orElse(null), me.mayAdminister(user));
    }

    private String confirmPage(UserView target, HttpSession session, Model model) {
        model.addAttribute("target", target);
        model.addAttribute("transactionToken", transactionTokens.issue(session, STEP));
        return "bizweb/user-confirm";
    }

    /** 12 characters, letters and digits (at least two of each), without look-alikes (0/O, 1/l/I). */
    private String initialPassword() {
        char[] password = new char[12];
        for (int i = 0; i < password.length; i++) {
            String alphabet = i % 4 == 3 ? PASSWORD_DIGITS : PASSWORD_ALPHABET;
            password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(password);
    }
}
