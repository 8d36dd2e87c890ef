package io.kagi.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenStatus;
import io.kagi.authority.Tokens;
import io.kagi.authority.UserId;
import io.kagi.bizweb.BizwebProperties;
import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.CustomerUser;
import io.kagi.bizweb.CustomerAdministration.UnlockOutcome;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Users and tokens: CUSR001 searches customers' users by company and login ID, and any service's
 * token by サービスID and ユーザID (what a customer quotes on the phone), showing the login's lock and
 * the token's state; CUSR002 confirms, with a fresh OTP, unlocking a master user's login or token or
 * revoking (失効) a token. Only supervisors reach CUSR002. Other users of a company are unlocked by
 * their company's master or administrator, not by the bank.
 */
@Controller
class UserController {

    private static final String STEP = "user-action";
    private static final int SHOWN = 100;

    private final CustomerAdministration customers;
    private final Tokens tokens;
    private final ServiceId portal;
    private final ConsoleConfirmations confirmations;

    UserController(CustomerAdministration customers, Tokens tokens, BizwebProperties bizweb,
                   ConsoleConfirmations confirmations) {
        this.customers = customers;
        this.tokens = tokens;
        this.portal = new ServiceId(bizweb.serviceId());
        this.confirmations = confirmations;
    }

    /** The changes CUSR002 makes. */
    enum Action { UNLOCK_LOGIN, UNLOCK_TOKEN, REVOKE_TOKEN }

    /** One line of the results: a customer's user (or null for another service's account) and the token, if any. */
    record Result(CustomerUser user, ServiceId serviceId, AccountRef account, TokenStatus token) {
    }

    @GetMapping("/console/users")
    String search(@RequestParam(required = false) String companyId, @RequestParam(defaultValue = "") String loginId,
                  @RequestParam(defaultValue = "") String serviceId, @RequestParam(defaultValue = "") String userId,
                  Model model) {
        model.addAttribute("companyId", companyId == null ? "" : companyId);
        model.addAttribute("loginId", loginId);
        model.addAttribute("serviceId", serviceId);
        model.addAttribute("userId", userId);
        List<Result> results = new ArrayList<>();
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
            customers.users(company, loginId, SHOWN).forEach(user -> results.add(
                    new Result(user, portal, user.tokenAccount(), tokens.status(portal, user.tokenAccount()).orElse(null))));
        }
        if (error == null && (!serviceId.isBlank() || !userId.isBlank())) {
            if (!serviceId.strip().matches("[0-9]{8}") || !userId.strip().matches("[0-9]{6}")) {
                error = "console.user.search.tokenIdsFormat";
            } else {
                searched = true;
                ServiceId service = new ServiceId(serviceId.strip());
                tokenResult(service, new UserId(userId.strip())).ifPresent(results::add);
            }
        }
        model.addAttribute("searched", searched);
        model.addAttribute("searchError", error);
        model.addAttribute("results", results);
        model.addAttribute("portalServiceId", portal.digits());
        return "console/users";
    }

    @GetMapping("/console/users/action")
    String confirmation(@RequestParam Action action, @RequestParam(required = false) Long user,
                        @RequestParam(required = false) String serviceId, @RequestParam(required = false) String userId,
                        HttpSession session, Model model) {
        return showConfirm(action, user, serviceId, userId, session, model, null);
    }

    @PostMapping("/console/users/action")
    String execute(@AuthenticationPrincipal OperatorAccount operator, @RequestParam Action action,
                   @RequestParam(required = false) Long user, @RequestParam(required = false) String serviceId,
                   @RequestParam(required = false) String userId, @RequestParam(required = false) String otp,
                   @RequestParam(required = false) String transactionToken, HttpServletRequest request,
                   HttpSession session, Model model, RedirectAttributes redirect) {
        String address = ClientAddress.of(request);
        ConsoleConfirmations.Check check = confirmations.check(operator, session, STEP, transactionToken, otp, address);
        if (check instanceof ConsoleConfirmations.Check.DoubleSubmit) {
            redirect.addFlashAttribute("flashError", "console.error.doubleSubmit");
            return "redirect:/console/users";
        }
        if (check instanceof ConsoleConfirmations.Check.CodeRefused refused) {
            return showConfirm(action, user, serviceId, userId, session, model, refused.messageKey());
        }
        String outcome;
        if (action == Action.UNLOCK_LOGIN) {
            CustomerUser customer = customer(user);
            UnlockOutcome unlocked = customers.unlockMasterLogin(customer.id(), operator.actor(), address);
            outcome = "console.user.outcome.login." + unlocked.name();
            redirect.addAttribute("companyId", customer.companyId());
            redirect.addAttribute("loginId", customer.loginId());
        } else {
            Result target = token(serviceId, userId);
            if (action == Action.UNLOCK_TOKEN && target.user() != null && !target.user().master()) {
                outcome = "console.user.outcome.token.NOT_A_MASTER";
            } else {
                ServiceId service = target.serviceId();
                var client = OperatorTokens.client(operator, address);
                boolean done = action == Action.UNLOCK_TOKEN
                        ? tokens.unlock(service, target.account(), client)
                        : tokens.revoke(service, target.account(), client);
                outcome = "console.user.outcome." + action.name() + "." + done;
            }
            redirect.addAttribute("serviceId", serviceId);
            redirect.addAttribute("userId", userId);
        }
        redirect.addFlashAttribute("flashNotice", outcome);
        return "redirect:/console/users";
    }

    private String showConfirm(Action action, Long user, String serviceId, String userId, HttpSession session,
                               Model model, String otpError) {
        ConfirmPage page;
        if (action == Action.UNLOCK_LOGIN) {
            CustomerUser customer = customer(user);
            page = new ConfirmPage("CUSR002", "console.user.action.UNLOCK_LOGIN", "console.user.action.lead",
                    List.of(ConfirmPage.Row.text("console.user.company", customer.companyName()),
                            ConfirmPage.Row.text("console.user.loginId", customer.loginId()),
                            ConfirmPage.Row.text("console.user.name", customer.displayName()),
                            ConfirmPage.Row.message("console.user.role", "console.user.role." + customer.role())),
                    "/console/users/action", Map.of("action", action.name(), "user", String.valueOf(customer.id())),
                    "/console/users?companyId=" + customer.companyId());
        } else {
            Result target = token(serviceId, userId);
            List<ConfirmPage.Row> rows = new ArrayList<>();
            rows.add(ConfirmPage.Row.text("console.user.serviceId", target.serviceId().digits()));
            rows.add(ConfirmPage.Row.text("console.user.userId", userId));
            if (target.user() != null) {
                rows.add(ConfirmPage.Row.text("console.user.company", target.user().companyName()));
                rows.add(ConfirmPage.Row.text("console.user.loginId", target.user().loginId()));
                rows.add(ConfirmPage.Row.message("console.user.role", "console.user.role." + target.user().role()));
            }
            rows.add(ConfirmPage.Row.message("console.user.tokenState", "console.token.state." + target.token().state()));
            page = new ConfirmPage("CUSR002", "console.user.action." + action.name(), "console.user.action.lead", rows,
                    "/console/users/action", Map.of("action", action.name(), "serviceId", target.serviceId().digits(),
                    "userId", userId), "/console/users?serviceId=" + target.serviceId().digits() + "&userId=" + userId);
        }
        model.addAttribute("page", page);
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", confirmations.issue(session, STEP));
        return "console/confirm";
    }

    private CustomerUser customer(Long id) {
        return Optional.ofNullable(id).flatMap(customers::user)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private Result token(String serviceId, String userId) {
        if (serviceId == null || userId == null || !serviceId.matches("[0-9]{8}") || !userId.matches("[0-9]{6}")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return tokenResult(new ServiceId(serviceId), new UserId(userId))
                .filter(result -> result.token() != null)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private Optional<Result> tokenResult(ServiceId service, UserId userId) {
        return tokens.accountOf(service, userId).map(account -> new Result(
                service.equals(portal) ? customers.userOfTokenAccount(account).orElse(null) : null,
                service, account, tokens.status(service, account).orElse(null)));
    }
}
