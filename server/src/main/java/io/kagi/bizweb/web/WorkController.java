package io.kagi.bizweb.web;

import java.util.Set;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The functions that need an OTP: 承認 (BAPR001, the requests waiting for the user's approval) and
 * 振込先管理 (BPAY001, the company's payees), and BERR001, the page that refuses them to a user
 * without a usable token, saying why and how to issue one. (Which factors these pages need is
 * declared in {@link BizwebSecurityConfiguration}.)
 */
@Controller
class WorkController {

    private static final Set<String> FUNCTIONS = Set.of("approvals", "payees", "other");

    private final Workplace workplace;
    private final PortalTokens tokens;

    WorkController(Workplace workplace, PortalTokens tokens) {
        this.workplace = workplace;
        this.tokens = tokens;
    }

    @GetMapping("/bizweb/approvals")
    String approvals(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("requests", workplace.approvalsWaitingFor(user));
        return "bizweb/approvals";
    }

    @GetMapping("/bizweb/payees")
    String payees(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("payees", workplace.payees(user));
        return "bizweb/payees";
    }

    @GetMapping("/bizweb/refused")
    String refused(@AuthenticationPrincipal PortalAccount user, @RequestParam(defaultValue = "other") String function,
                   Model model) {
        PortalTokens.Situation situation = tokens.situation(user);
        if (situation == PortalTokens.Situation.ACTIVE || situation == PortalTokens.Situation.LOCKED) {
            return situation == PortalTokens.Situation.ACTIVE ? "redirect:/bizweb/otp" : "redirect:/bizweb/otp/locked";
        }
        model.addAttribute("function", FUNCTIONS.contains(function) ? function : "other");
        model.addAttribute("tokenSituation", situation.name());
        return "bizweb/refused";
    }
}
