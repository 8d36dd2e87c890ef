package io.kagi.bizweb.top;

import io.kagi.bizweb.portal.BizwebSecurityConfiguration;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;

import java.util.Optional;
import java.util.Set;

import io.kagi.authority.TokenState;
import io.kagi.authority.TokenStatus;
import io.kagi.platform.BankTime;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * BERR001, the page that refuses the functions that need an OTP (承認, 振込先管理, 振込依頼,
 * 利用者管理) to a user without a usable token, saying why — never issued or skipped, not yet
 * confirmed, revoked (and from when a new one can be issued), locked (and who unlocks it) — and the
 * way forward. (Which factors these pages need is declared in {@link BizwebSecurityConfiguration}.)
 */
@Controller
class WorkController {

    private static final Set<String> FUNCTIONS = Set.of("approvals", "payees", "transfers", "users", "other");

    private final PortalTokens tokens;
    private final BankTime bankTime;

    WorkController(PortalTokens tokens, BankTime bankTime) {
        this.tokens = tokens;
        this.bankTime = bankTime;
    }

    @GetMapping("/bizweb/refused")
    String refused(@AuthenticationPrincipal PortalAccount user, @RequestParam(defaultValue = "other") String function,
                   Model model) {
        Optional<TokenStatus> status = tokens.status(user);
        PortalTokens.Situation situation = status.map(tokens::situation).orElse(PortalTokens.Situation.NONE);
        if (situation == PortalTokens.Situation.ACTIVE) {
            return "redirect:/bizweb/otp";
        }
        model.addAttribute("function", FUNCTIONS.contains(function) ? function : "other");
        model.addAttribute("tokenSituation", situation.name());
        model.addAttribute("master", user.role() == PortalAccount.Role.MASTER);
        status.filter(s -> s.state() == TokenState.REVOKED).ifPresent(revoked -> {
            model.addAttribute("revoked", true);
            model.addAttribute("reissueHeld", tokens.reissueHeld(user.id()));
            tokens.reissueAllowedFrom(revoked).ifPresent(from -> model.addAttribute("reissueAllowedFrom",
                    bankTime.at(from)));
        });
        return "bizweb/refused";
    }
}
