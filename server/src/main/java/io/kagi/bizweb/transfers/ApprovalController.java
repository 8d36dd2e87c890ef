package io.kagi.bizweb.transfers;

import io.kagi.bizweb.portal.OtpError;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalSigning;
import io.kagi.bizweb.portal.Problems;

import java.util.Map;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.TransactionSigning.SigningRequest;
import io.kagi.authority.TransactionText;
import io.kagi.confirmation.Execution;
import io.kagi.bizweb.portal.ExecutionAnswers;
import io.kagi.bizweb.transfers.TransferForms.DecisionForm;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 承認: BAPR001 (the requests waiting for the user's approval), BAPR002 (one request: approve or
 * return it, with a fresh OTP), BAPR003 (done). Only the approver the request names may decide, and
 * only while they are an approver (the master, or an administrator with the approval right); nobody
 * decides their own request; a decided request is final here.
 */
@Controller
@RequestMapping("/bizweb/approvals")
class ApprovalController {

    private static final ExecutionAnswers ANSWERS = new ExecutionAnswers("approvals", "/bizweb/approvals", "approvals.changedMeanwhile");

    private final Transfers transfers;
    private final Colleagues colleagues;
    private final AuditLog audit;
    private final PortalSigning signing;

    ApprovalController(Transfers transfers, Colleagues colleagues, AuditLog audit, PortalSigning signing) {
        this.transfers = transfers;
        this.colleagues = colleagues;
        this.audit = audit;
        this.signing = signing;
    }

    @GetMapping
    String list(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("requests", transfers.waitingFor(user.id()));
        return "bizweb/approvals";
    }

    @GetMapping("/{id}")
    String decision(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletRequest request,
                    HttpServletResponse response, Model model) {
        Optional<Transfers.Transfer> transfer = transfers.find(user.companyId(), id);
        if (transfer.isEmpty()) {
            return Problems.notFound(response, model);
        }
        String refusal = refusal(user, transfer.get(), request);
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        Optional<SigningRequest> signed = Optional.empty();
        if (signing.required(TransactionText.Purpose.TRANSFER_APPROVAL)) {
            // 取引認証: the phone is asked to show and sign what the server holds, not what this page shows.
            signed = signing.ask(user, ClientAddresses.of(request), Transfers.approvalText(transfer.get()));
            if (signed.isEmpty()) {
                return Problems.forbidden(response, model, "problem.reason.noUsableToken");
            }
        }
        String formToken = transfers.hold(user, ClientAddresses.of(request),
                new Transfers.Decision(id, transfer.get().version(), signed.map(SigningRequest::reference).orElse(null)));
        return confirmPage(transfer.get(), new DecisionForm(id, transfer.get().version(), "APPROVE", "", "", formToken, ""),
                null, signed.orElse(null), model);
    }

    /**
     * Where the signing request of this user stands ({@code PENDING}, {@code APPROVED}, {@code DENIED},
     * {@code USED}, {@code EXPIRED}): BAPR002 polls it and moves on by itself once the phone approved.
     */
    @GetMapping(path = "/signing/{reference}", produces = "application/json")
    @ResponseBody
    ResponseEntity<Map<String, String>> signingState(@AuthenticationPrincipal PortalAccount user,
                                                     @PathVariable String reference) {
        return signing.state(user, reference)
                .map(state -> ResponseEntity.ok(Map.of("state", state.name())))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /**
     * BAPR002 → BAPR003: the decision on exactly the request BAPR002 showed (held on the server with
     * the form), once, after a fresh OTP.
     */
    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") DecisionForm form,
                   BindingResult errors, HttpServletRequest request, HttpServletResponse response, Model model,
                   RedirectAttributes redirect) {
        form.validate(errors);
        if (errors.hasErrors()) {
            Optional<Transfers.Transfer> shown = form.id() == null ? Optional.empty() : transfers.find(user.companyId(), form.id());
            if (shown.isEmpty()) {
                return Problems.notFound(response, model);
            }
            return confirmPage(shown.get(), form, null, null, model);
        }
        Execution<Transfers.Decision, Long> execution = form.approve()
                && signing.required(TransactionText.Purpose.TRANSFER_APPROVAL)
                ? transfers.approveSigned(user, ClientAddresses.of(request), form.transactionToken(), form.signature(),
                        form.otp(), form.comment())
                : transfers.decide(user, ClientAddresses.of(request), form.transactionToken(), form.otp(), form.approve(),
                        form.comment());
        if (execution instanceof Execution.ChangedMeanwhile<Transfers.Decision, Long> stale) {
            // Records why, as the confirm screen would have.
            transfers.find(user.companyId(), stale.operation().transferId())
                    .ifPresent(transfer -> refusal(user, transfer, request));
        }
        return ANSWERS.answer(execution, redirect, done -> {
            redirect.addFlashAttribute("doneDecision", form.approve() ? "APPROVE" : "RETURN");
            redirect.addFlashAttribute("doneTransfer", done.result());
            return "redirect:/bizweb/approvals/done";
        }, wrong -> transfers.find(user.companyId(), wrong.operation().transferId())
                .map(shown -> confirmPage(shown, new DecisionForm(wrong.operation().transferId(), wrong.operation().version(),
                        form.decision(), form.comment(), "", wrong.formToken(), ""), OtpError.of(wrong),
                        signing.find(user, wrong.operation().signing()).orElse(null), model))
                .orElseGet(() -> Problems.notFound(response, model)));
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("doneDecision")) {
            return "redirect:/bizweb/approvals";
        }
        return "bizweb/approval-done";
    }

    /** Why this user may not decide this request (a message key), or null when they may. */
    private String refusal(PortalAccount user, Transfers.Transfer transfer, HttpServletRequest request) {
        Colleagues.Colleague me = colleagues.current(user);
        String reason = null;
        if (transfer.requestedById() == me.id()) {
            reason = "problem.reason.selfApproval";
        } else if (!me.canApprove()) {
            reason = "problem.reason.noApprovalRight";
        } else if (transfer.approverId() != me.id()) {
            reason = "problem.reason.notYourApproval";
        } else if (!"PENDING".equals(transfer.status())) {
            reason = "APPROVED".equals(transfer.status()) ? "problem.reason.approvedIsFinal" : "problem.reason.notPending";
        }
        if (reason != null) {
            audit.record(AuditEvent.of("APPROVAL_REFUSED", user.loginId()).company(user.companyId())
                    .subject("transfer:" + transfer.id()).from(ClientAddresses.of(request)).detail("reason", reason));
        }
        return reason;
    }

    private static String confirmPage(Transfers.Transfer transfer, DecisionForm form, OtpError otpError,
                                      SigningRequest signed, Model model) {
        BindingResult errors = new BeanPropertyBindingResult(form, "form");
        if (otpError != null && otpError.messageKey().startsWith("error.signing")) {
            if (otpError.attemptsLeft() >= 0) {
                errors.rejectValue("signature", otpError.messageKey() + "AttemptsLeft", new Object[] {otpError.attemptsLeft()}, null);
            } else {
                errors.rejectValue("signature", otpError.messageKey());
            }
        } else if (otpError != null) {
            otpError.rejectOn(errors);
        }
        model.addAttribute("signing", signed);
        model.addAttribute("transfer", transfer);
        model.addAttribute("form", form);
        model.addAttribute(BindingResult.MODEL_KEY_PREFIX + "form", errors);
        model.addAttribute("transactionToken", form.transactionToken());
        return "bizweb/approval-confirm";
    }
}
