package io.kagi.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kagi.authority.ServiceId;
import io.kagi.authority.UserId;
import io.kagi.bizweb.CustomerAdministration.CustomerUser;
import io.kagi.console.CustomerUsers;
import io.kagi.console.CustomerUsers.Action;
import io.kagi.console.CustomerUsers.Found;
import io.kagi.console.CustomerUsers.UserAction;
import io.kagi.confirmation.Execution;
import io.kagi.console.OperatorAccount;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Users and tokens: CUSR001 searches customers' users by company and login ID, and any service's
 * token by サービスID and ユーザID (what a customer quotes on the phone), showing the login's lock and
 * the token's state; CUSR002 confirms, with a fresh OTP, unlocking a master user's login or token or
 * revoking (失効) a token. Only supervisors reach CUSR002. Other users of a company are unlocked by
 * their company's master or administrator, not by the bank. CUSR003 shows one user in detail.
 */
@Controller
class UserController {

    private static final int SHOWN = 100;

    private final CustomerUsers users;
    private final io.kagi.console.CertificateRevocations certificates;

    UserController(CustomerUsers users, io.kagi.console.CertificateRevocations certificates) {
        this.users = users;
        this.certificates = certificates;
    }

    /** CUSR003: a user's detail — login lock, mail address, company, the token's state, issued, activated, last used. */
    @GetMapping("/console/users/{id:[0-9]{1,18}}")
    String user(@PathVariable long id, Model model) {
        model.addAttribute("detail", users.detail(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
        model.addAttribute("certificates", certificates.validOf(id));
        return "console/user";
    }

    @GetMapping("/console/users")
    String search(@RequestParam(required = false) String companyId, @RequestParam(defaultValue = "") String loginId,
                  @RequestParam(defaultValue = "") String serviceId, @RequestParam(defaultValue = "") String userId,
                  Model model) {
        model.addAttribute("companyId", companyId == null ? "" : companyId);
        model.addAttribute("loginId", loginId);
        model.addAttribute("serviceId", serviceId);
        model.addAttribute("userId", userId);
        List<Found> results = new ArrayList<>();
        String error = null;
        boolean searched = false;
        Long company = null;
        if (companyId != null && !companyId.isBlank()) {
            if (companyId.strip().matches("[0-9]{1,18}")) {
                company = Long.valueOf(companyId.strip());
            } else {
                error = "console.user.search.companyIdFormat";
            }
        }
        if (error == null && (company != null || !loginId.isBlank())) {
            searched = true;
            results.addAll(users.users(company, loginId, SHOWN));
        }
        if (error == null && (!serviceId.isBlank() || !userId.isBlank())) {
            if (!serviceId.strip().matches("[0-9]{8}") || !userId.strip().matches("[0-9]{6}")) {
                error = "console.user.search.tokenIdsFormat";
            } else {
                searched = true;
                users.token(new ServiceId(serviceId.strip()), new UserId(userId.strip())).ifPresent(results::add);
            }
        }
        model.addAttribute("searched", searched);
        model.addAttribute("searchError", error);
        model.addAttribute("results", results);
        model.addAttribute("portalServiceId", users.portalService().digits());
        return "console/users";
    }

    @GetMapping("/console/users/action")
    String confirmation(@AuthenticationPrincipal OperatorAccount operator, @RequestParam Action action,
                        @RequestParam(required = false) Long user, @RequestParam(required = false) String serviceId,
                        @RequestParam(required = false) String userId, HttpServletRequest request, Model model) {
        UserAction confirmed = action == Action.UNLOCK_LOGIN
                ? new UserAction(action, customer(user).id(), null, null)
                : new UserAction(action, null, target(serviceId, userId).serviceId().digits(), userId);
        return showConfirm(confirmed, users.holdAction(operator, ClientAddress.of(request), confirmed), null, model);
    }

    /** Carries out the action confirmed under the form token (fields sent with it are not read). */
    @PostMapping("/console/users/action")
    String execute(@AuthenticationPrincipal OperatorAccount operator, @RequestParam(required = false) String otp,
                   @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
                   RedirectAttributes redirect) {
        Execution<UserAction, String> execution = users.execute(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/users", redirect, done -> {
                UserAction action = done.operation();
                if (action.action() == Action.UNLOCK_LOGIN) {
                    users.user(action.user()).ifPresent(customer -> {
                        redirect.addAttribute("companyId", customer.companyId());
                        redirect.addAttribute("loginId", customer.loginId());
                    });
                } else {
                    redirect.addAttribute("serviceId", action.serviceId());
                    redirect.addAttribute("userId", action.userId());
                }
                redirect.addFlashAttribute("flashNotice", done.result());
                return "redirect:/console/users";
        }, wrong -> showConfirm(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    private String showConfirm(UserAction action, String formToken, String otpError, Model model) {
        ConfirmPage page;
        if (action.action() == Action.UNLOCK_LOGIN) {
            CustomerUser customer = customer(action.user());
            page = new ConfirmPage("CUSR002", "console.user.action.UNLOCK_LOGIN", "console.user.action.lead",
                    List.of(ConfirmPage.Row.text("console.user.company", customer.companyName()),
                            ConfirmPage.Row.text("console.user.loginId", customer.loginId()),
                            ConfirmPage.Row.text("console.user.name", customer.displayName()),
                            ConfirmPage.Row.message("console.user.role", "console.user.role." + customer.role())),
                    "/console/users/action", "/console/users?companyId=" + customer.companyId());
        } else {
            Found target = target(action.serviceId(), action.userId());
            List<ConfirmPage.Row> rows = new ArrayList<>();
            rows.add(ConfirmPage.Row.text("console.user.serviceId", target.serviceId().digits()));
            rows.add(ConfirmPage.Row.text("console.user.userId", action.userId()));
            if (target.user() != null) {
                rows.add(ConfirmPage.Row.text("console.user.company", target.user().companyName()));
                rows.add(ConfirmPage.Row.text("console.user.loginId", target.user().loginId()));
                rows.add(ConfirmPage.Row.message("console.user.role", "console.user.role." + target.user().role()));
            }
            rows.add(ConfirmPage.Row.message("console.user.tokenState", "console.token.state." + target.token().state()));
            page = new ConfirmPage("CUSR002", "console.user.action." + action.action().name(), "console.user.action.lead",
                    rows, "/console/users/action",
                    "/console/users?serviceId=" + target.serviceId().digits() + "&userId=" + action.userId());
        }
        model.addAttribute("page", page);
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }

    private CustomerUser customer(Long id) {
        return Optional.ofNullable(id).flatMap(users::user)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private Found target(String serviceId, String userId) {
        if (serviceId == null || userId == null || !serviceId.matches("[0-9]{8}") || !userId.matches("[0-9]{6}")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return users.token(new ServiceId(serviceId), new UserId(userId))
                .filter(found -> found.token() != null)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
