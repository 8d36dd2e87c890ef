package io.kagi.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.kagi.authority.ApiSecret;
import io.kagi.authority.ServiceDetails;
import io.kagi.confirmation.Execution;
import io.kagi.console.OperatorAccount;
import io.kagi.console.PendingChanges;
import io.kagi.console.RelyingParties;
import io.kagi.console.PendingChanges.Decided;
import io.kagi.console.PendingChanges.Decision;
import io.kagi.console.PendingChanges.Verdict;
import io.kagi.platform.BankTime;

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
 * 承認待ち: CAPR001 lists the changes waiting for a second operator (with approve and reject for the
 * others, withdraw for the maker); CAPR002 confirms a decision with the deciding operator's fresh OTP.
 * Who may decide is checked again when the decision is taken ({@link PendingChanges}).
 */
@Controller
class PendingChangeController {

    private static final int SHOWN = 200;

    private final PendingChanges pending;
    private final BankTime bankTime;
    private final RelyingParties relyingParties;

    PendingChangeController(PendingChanges pending, BankTime bankTime, RelyingParties relyingParties) {
        this.pending = pending;
        this.bankTime = bankTime;
        this.relyingParties = relyingParties;
    }

    /** A waiting change with what this operator may do with it. */
    record Row(PendingChanges.Waiting change, boolean mayApprove, boolean mayWithdraw) {
    }

    @GetMapping("/console/approvals")
    String list(@AuthenticationPrincipal OperatorAccount operator, Model model) {
        List<Row> rows = new ArrayList<>();
        for (PendingChanges.Waiting change : pending.waiting(SHOWN)) {
            rows.add(new Row(change, pending.refusal(operator, change, Verdict.APPROVE).isEmpty(),
                    pending.refusal(operator, change, Verdict.WITHDRAW).isEmpty()));
        }
        model.addAttribute("rows", rows);
        return "console/approvals";
    }

    @GetMapping("/console/approvals/{id}/{verdict}")
    String confirmation(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                        @PathVariable String verdict, HttpServletRequest request, Model model,
                        RedirectAttributes redirect) {
        Verdict decided = verdict(verdict);
        PendingChanges.Waiting change = pending.find(id).orElse(null);
        if (change == null) {
            redirect.addFlashAttribute("flashError", "console.pending.noLongerWaiting");
            return "redirect:/console/approvals";
        }
        Optional<String> refused = pending.refusal(operator, change, decided);
        if (refused.isPresent()) {
            redirect.addFlashAttribute("flashError", refused.get());
            return "redirect:/console/approvals";
        }
        return showConfirm(change, decided,
                pending.holdDecision(operator, ClientAddress.of(request), new Decision(id, decided)), null, model);
    }

    /** Takes the decision confirmed under the form token (the path only names the page). */
    @PostMapping("/console/approvals/{id}/{verdict}")
    String decide(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id, @PathVariable String verdict,
                  @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<Decision, Decided> execution = pending.decide(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/approvals", redirect, done -> {
            Decided decided = done.result();
            if (decided instanceof Decided.Approved approved) {
                ApiSecret secret = approved.applied().apiSecret();
                if (secret != null) {
                    return ServiceController.showIssuedSecret(secret, relyingParties.find(secret.serviceId())
                            .map(ServiceDetails::name).orElse(secret.serviceId().digits()), model);
                }
                if (approved.applied().shownOnce() != null) {
                    model.addAttribute("messageKey", approved.applied().messageKey());
                    model.addAttribute("temporaryPassword", approved.applied().shownOnce());
                    return "console/operator-password";
                }
                redirect.addFlashAttribute("flashNotice", approved.applied().messageKey());
            } else if (decided instanceof Decided.Rejected) {
                redirect.addFlashAttribute("flashNotice", "console.pending.rejected");
            } else if (decided instanceof Decided.Withdrawn) {
                redirect.addFlashAttribute("flashNotice", "console.pending.withdrawn");
            } else if (decided instanceof Decided.NoLongerWaiting) {
                redirect.addFlashAttribute("flashError", "console.pending.noLongerWaiting");
            } else if (decided instanceof Decided.NotAllowed notAllowed) {
                redirect.addFlashAttribute("flashError", notAllowed.messageKey());
            } else {
                throw new IllegalStateException("A decision of an unknown kind: " + decided.getClass().getName());
            }
            return "redirect:/console/approvals";
        }, wrong -> pending.find(wrong.operation().changeId())
                .map(change -> showConfirm(change, wrong.operation().verdict(), wrong.formToken(),
                        ConsoleAnswers.message(wrong), model))
                .orElseGet(() -> {
                    redirect.addFlashAttribute("flashError", "console.pending.noLongerWaiting");
                    return "redirect:/console/approvals";
                }));
    }

    private String showConfirm(PendingChanges.Waiting change, Verdict verdict, String formToken, String otpError,
                               Model model) {
        List<ConfirmPage.Row> rows = new ArrayList<>();
        rows.add(ConfirmPage.Row.message("console.pending.kind", "console.pending.kind." + change.kind()));
        rows.add(ConfirmPage.Row.text("console.pending.maker", change.maker()));
        rows.add(ConfirmPage.Row.text("console.pending.madeAt", bankTime.seconds(change.madeAt())));
        for (PendingChanges.Fact fact : change.facts()) {
            rows.add(new ConfirmPage.Row(fact.labelKey(), fact.value(), fact.translated()));
        }
        String name = verdict.name().toLowerCase(Locale.ROOT);
        model.addAttribute("page", new ConfirmPage("CAPR002", "console.pending." + name + ".title",
                "console.pending." + name + ".lead", rows, "/console/approvals/" + change.id() + "/" + name,
                "/console/approvals"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }

    private static Verdict verdict(String path) {
        for (Verdict verdict : Verdict.values()) {
            if (verdict.name().toLowerCase(Locale.ROOT).equals(path)) {
                return verdict;
            }
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }
}
