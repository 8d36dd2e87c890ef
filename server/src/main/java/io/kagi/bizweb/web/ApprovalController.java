package io.kagi.bizweb.web;

import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.bizweb.web.WorkForms.DecisionForm;

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
 * 承認: BAPR001 (the requests waiting for the user's approval), BAPR002 (one request: approve or
 * return it, with a fresh OTP), BAPR003 (done). Only the approver the request names may decide, and
 * only while they are an approver (the master, or an administrator with the approval right); nobody
 * decides their own request; a decided request is final here.
 */
@Controller
@RequestMapping("/bizweb/approvals")
class ApprovalController {

    private static final String STEP = "approval-execute";

    private final Transfers transfers;
    private final Colleagues colleagues;
    private final FreshOtp freshOtp;
    private final TransactionTokens transactionTokens;
    private final AuditLog audit;

    ApprovalController(Transfers transfers, Colleagues colleagues, FreshOtp freshOtp, TransactionTokens transactionTokens,
                       AuditLog audit) {
        this.transfers = transfers;
        this.colleagues = colleagues;
        this.freshOtp = freshOtp;
        this.transactionTokens = transactionTokens;
        this.audit = audit;
    }

    @GetMapping
    String list(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("requests", transfers.waitingFor(user.id()));
        return "bizweb/approvals";
    }

    @GetMapping("/{id}")
    String decision(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletRequest request,
                    HttpServletResponse response, HttpSession session, Model model) {
        Optional<Transfers.Transfer> transfer = transfers.find(user.companyId(), id);
        if (transfer.isEmpty()) {
            return Problems.notFound(response, model);
        }
        String refusal = refusal(user, transfer.get(), request);
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        model.addAttribute("form", new DecisionForm(id, transfer.get().version(), "APPROVE", "", "", ""));
        return confirmPage(transfer.get(), session, model);
    }

    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") DecisionForm form,
                   BindingResult errors, HttpServletRequest request, HttpServletResponse response, HttpSession session,
                   Model model, RedirectAttributes redirect) {
        Optional<Transfers.Transfer> found = form.id() == null ? Optional.empty() : transfers.find(user.companyId(), form.id());
        if (found.isEmpty()) {
            return Problems.notFound(response, model);
        }
        Transfers.Transfer transfer = found.get();
        String refusal = refusal(user, transfer, request);
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        String address = ClientAddresses.of(request);
        if (!transactionTokens.consume(session, STEP, form.transactionToken())) {
            audit.record(AuditEvent.of("DOUBLE_SUBMIT_REFUSED", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(address).detail("step", STEP));
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:/bizweb/approvals";
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            return confirmPage(transfer, session, model);
        }
        FreshOtp.Check check = freshOtp.check(user, form.otp(), address, "BAPR002", "approvals", errors);
        if (check instanceof FreshOtp.Check.Refused refused) {
            return refused.redirect();
        }
        if (check instanceof FreshOtp.Check.Wrong) {
            return confirmPage(transfer, session, model);
        }
        if (form.version() == null || !transfers.decide(user.companyId(), transfer.id(), form.version(), user.id(),
                form.approve(), form.comment())) {
            redirect.addFlashAttribute("flashError", "approvals.changedMeanwhile");
            return "redirect:/bizweb/approvals";
        }
        audit.record(AuditEvent.of(form.approve() ? "TRANSFER_APPROVED" : "TRANSFER_RETURNED", user.loginId())
                .company(user.companyId()).subject("transfer:" + transfer.id()).from(address).detail("factor", "otp")
                .detail("amount", String.valueOf(transfer.amount()))
                .detail("account", Fields.maskedAccount(transfer.accountNumber())));
        redirect.addFlashAttribute("doneDecision", form.approve() ? "APPROVE" : "RETURN");
        redirect.addFlashAttribute("doneTransfer", transfer.id());
        return "redirect:/bizweb/approvals/done";
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

    private String confirmPage(Transfers.Transfer transfer, HttpSession session, Model model) {
        model.addAttribute("transfer", transfer);
        model.addAttribute("transactionToken", transactionTokens.issue(session, STEP));
        return "bizweb/approval-confirm";
    }
}
