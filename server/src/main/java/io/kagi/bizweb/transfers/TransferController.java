package io.kagi.bizweb.transfers;

import io.kagi.bizweb.payees.Payees;
import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.Problems;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.kagi.confirmation.Execution;
import io.kagi.bizweb.portal.ExecutionAnswers;
import io.kagi.bizweb.transfers.TransferForms.TransferForm;
import io.kagi.platform.BankTime;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 振込依頼: BTRF001 (the requests the user made or is to approve), BTRF002 (input: payee, amount,
 * transfer date, approver), BTRF003 (confirm), BTRF004 (done), BTRF005 (one request). Every user
 * of the company may request a transfer — the general user whose daily work it is, and the master
 * and administrators too — but never approve their own: the approver is chosen among the company's
 * other approvers. A returned (差戻し) request — or one still waiting, e.g. when its approver lost the
 * approval right — can be edited by its requester and submitted again; an approved one never changes. Making a request needs no fresh OTP: the approval does.
 */
@Controller
@RequestMapping("/bizweb/transfers")
class TransferController {

    private static final ExecutionAnswers ANSWERS = new ExecutionAnswers("transfers", "/bizweb/transfers", "transfers.changedMeanwhile");

    private final Transfers transfers;
    private final Payees payees;
    private final Colleagues colleagues;
    private final Clock clock;
    private final BankTime bankTime;

    TransferController(Transfers transfers, Payees payees, Colleagues colleagues, Clock clock, BankTime bankTime) {
        this.bankTime = bankTime;
        this.transfers = transfers;
        this.payees = payees;
        this.colleagues = colleagues;
        this.clock = clock;
    }

    @GetMapping
    String list(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("transfers", transfers.involving(user.id()));
        model.addAttribute("me", user.id());
        return "bizweb/transfers";
    }

    @GetMapping("/new")
    String request(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("form", TransferForm.empty(today()));
        return inputPage(user, model);
    }

    @GetMapping("/{id}")
    String show(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletResponse response,
                Model model) {
        Optional<Transfers.Transfer> transfer = transfers.find(user.companyId(), id);
        if (transfer.isEmpty()) {
            return Problems.notFound(response, model);
        }
        model.addAttribute("transfer", transfer.get());
        model.addAttribute("editable", transfer.get().editableBy(user.id()));
        model.addAttribute("decidable", transfer.get().approverId() == user.id() && "PENDING".equals(transfer.get().status()));
        return "bizweb/transfer";
    }

    @GetMapping("/{id}/edit")
    String edit(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletResponse response,
                Model model) {
        Optional<Transfers.Transfer> found = transfers.find(user.companyId(), id);
        if (found.isEmpty()) {
            return Problems.notFound(response, model);
        }
        Transfers.Transfer transfer = found.get();
        String refusal = editRefusal(transfer, user);
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        model.addAttribute("form", new TransferForm(transfer.id(), transfer.version(), transfer.payeeId(),
                String.valueOf(transfer.amount()), transfer.transferDate().toString(), null, ""));
        model.addAttribute("transfer", transfer);
        return inputPage(user, model);
    }

    @PostMapping("/confirm")
    String confirm(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") TransferForm form,
                   BindingResult errors, HttpServletRequest request, HttpServletResponse response, Model model) {
        String problem = checkEdit(user, form, response, model);
        if (problem != null) {
            return problem;
        }
        Checked checked = check(user, form, errors);
        if (checked == null) {
            return inputPage(user, model);
        }
        model.addAttribute("payee", checked.payee());
        model.addAttribute("amountValue", checked.values().amount());
        model.addAttribute("approver", checked.approver());
        Transfers.TransferRequest confirmed = new Transfers.TransferRequest(form.id(), form.id() == null ? null : form.version(),
                checked.payee().id(), checked.values().amount(), checked.values().transferDate(), checked.approver().id());
        model.addAttribute("transactionToken", transfers.hold(user, ClientAddresses.of(request), confirmed));
        return "bizweb/transfer-confirm";
    }

    /** BTRF003 → BTRF004: exactly the request BTRF003 showed (held on the server), once. */
    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @RequestParam(required = false) String transactionToken,
                   HttpServletRequest request, RedirectAttributes redirect) {
        Execution<Transfers.TransferRequest, Long> execution = transfers.request(user, ClientAddresses.of(request), transactionToken);
        return ANSWERS.answer(execution, redirect, done -> {
            redirect.addFlashAttribute("doneTransfer", done.result());
            colleagues.find(user.companyId(), done.operation().approverId())
                    .ifPresent(approver -> redirect.addFlashAttribute("doneApprover", approver.displayName()));
            return "redirect:/bizweb/transfers/done";
        }, wrong -> {
            throw new IllegalStateException("A transfer request asks for no code");
        });
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("doneTransfer")) {
            return "redirect:/bizweb/transfers";
        }
        return "bizweb/transfer-done";
    }

    private record Checked(Payees.Payee payee, Colleagues.Colleague approver, TransferForm.Validated values) {
    }

    /** Validates the form against the company's payees and approvers; null (with the errors) when it is not right. */
    private Checked check(PortalAccount user, TransferForm form, BindingResult errors) {
        TransferForm.Validated values = form.validate(errors, today());
        Optional<Payees.Payee> payee = form.payeeId() == null ? Optional.empty() : payees.find(user.companyId(), form.payeeId());
        if (form.payeeId() != null && payee.isEmpty()) {
            errors.rejectValue("payeeId", "error.choose");
        }
        Colleagues.Colleague me = colleagues.current(user);
        Optional<Colleagues.Colleague> approver = colleagues.approversFor(me).stream()
                .filter(candidate -> form.approverId() != null && candidate.id() == form.approverId()).findFirst();
        if (form.approverId() != null && approver.isEmpty()) {
            errors.rejectValue("approverId", "error.choose");
        }
        if (errors.hasErrors()) {
            return null;
        }
        return new Checked(payee.get(), approver.get(), values);
    }

    /** For a resubmission: 404 for another company's request, 403 unless it is the user's own returned request. */
    private String checkEdit(PortalAccount user, TransferForm form, HttpServletResponse response, Model model) {
        if (form.id() == null) {
            return null;
        }
        Optional<Transfers.Transfer> transfer = transfers.find(user.companyId(), form.id());
        if (transfer.isEmpty()) {
            return Problems.notFound(response, model);
        }
        String refusal = editRefusal(transfer.get(), user);
        if (refusal != null) {
            return Problems.forbidden(response, model, refusal);
        }
        model.addAttribute("transfer", transfer.get());
        return null;
    }

    private static String editRefusal(Transfers.Transfer transfer, PortalAccount user) {
        if (transfer.requestedById() != user.id()) {
            return "problem.reason.notYourRequest";
        }
        if ("APPROVED".equals(transfer.status())) {
            return "problem.reason.approvedIsFinal";
        }
        if (!"RETURNED".equals(transfer.status()) && !"PENDING".equals(transfer.status())) {
            return "problem.reason.onlyReturnedEditable";
        }
        return null;
    }

    private String inputPage(PortalAccount user, Model model) {
        List<Payees.Payee> companyPayees = payees.ofCompany(user.companyId());
        model.addAttribute("payees", companyPayees);
        model.addAttribute("approvers", colleagues.approversFor(colleagues.current(user)));
        return "bizweb/transfer-form";
    }

    private LocalDate today() {
        return bankTime.today(clock);
    }
}
