package io.kagi.bizweb.web;

import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.bizweb.web.WorkForms.PayeeForm;
import io.kagi.bizweb.web.WorkForms.PayeeOperation;

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
 * 振込先管理: BPAY001 (the company's payees), BPAY002 (register or change: input), BPAY003 (confirm:
 * what will happen and a fresh OTP; deletion starts here), BPAY004 (done). Any user of the company
 * with an active token manages its payees; another company's payee is not found (404).
 */
@Controller
@RequestMapping("/bizweb/payees")
class PayeeController {

    private static final String STEP = "payee-execute";

    private final Payees payees;
    private final FreshOtp freshOtp;
    private final TransactionTokens transactionTokens;
    private final AuditLog audit;

    PayeeController(Payees payees, FreshOtp freshOtp, TransactionTokens transactionTokens, AuditLog audit) {
        this.payees = payees;
        this.freshOtp = freshOtp;
        this.transactionTokens = transactionTokens;
        this.audit = audit;
    }

    @GetMapping
    String list(@AuthenticationPrincipal PortalAccount user, Model model) {
        model.addAttribute("payees", payees.ofCompany(user.companyId()));
        return "bizweb/payees";
    }

    @GetMapping("/new")
    String registration(Model model) {
        model.addAttribute("form", PayeeForm.empty());
        return "bizweb/payee-form";
    }

    @GetMapping("/{id}/edit")
    String edit(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletResponse response,
                Model model) {
        Optional<Payees.Payee> payee = payees.find(user.companyId(), id);
        if (payee.isEmpty()) {
            return Problems.notFound(response, model);
        }
        model.addAttribute("form", formOf(payee.get(), PayeeOperation.CHANGE));
        return "bizweb/payee-form";
    }

    @GetMapping("/{id}/delete")
    String deletion(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletResponse response,
                    HttpSession session, Model model) {
        Optional<Payees.Payee> payee = payees.find(user.companyId(), id);
        if (payee.isEmpty()) {
            return Problems.notFound(response, model);
        }
        model.addAttribute("form", formOf(payee.get(), PayeeOperation.DELETE));
        return confirmPage(session, model);
    }

    /** BPAY002 → BPAY003: checks the input and shows what will happen. */
    @PostMapping("/confirm")
    String confirm(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") PayeeForm form, BindingResult errors,
                   HttpServletResponse response, HttpSession session, Model model) {
        if (form.op() != PayeeOperation.REGISTER && (form.id() == null || payees.find(user.companyId(), form.id()).isEmpty())) {
            return Problems.notFound(response, model);
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            return "bizweb/payee-form";
        }
        return confirmPage(session, model);
    }

    /** BPAY003 → BPAY004: the fresh OTP, then the change. */
    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") PayeeForm form, BindingResult errors,
                   HttpServletRequest request, HttpServletResponse response, HttpSession session, Model model,
                   RedirectAttributes redirect) {
        PayeeOperation operation = form.op();
        Optional<Payees.Payee> existing = operation == PayeeOperation.REGISTER || form.id() == null
                ? Optional.empty() : payees.find(user.companyId(), form.id());
        if (operation != PayeeOperation.REGISTER && existing.isEmpty()) {
            return Problems.notFound(response, model);
        }
        String address = ClientAddresses.of(request);
        if (!transactionTokens.consume(session, STEP, form.transactionToken())) {
            audit.record(AuditEvent.of("DOUBLE_SUBMIT_REFUSED", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(address).detail("step", STEP));
            redirect.addFlashAttribute("flashError", "error.doubleSubmit");
            return "redirect:/bizweb/payees";
        }
        if (operation == PayeeOperation.DELETE) {
            form = formOf(existing.get(), PayeeOperation.DELETE, form.version(), form.otp());
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            model.addAttribute("form", form);
            return "bizweb/payee-form";
        }
        FreshOtp.Check check = freshOtp.check(user, form.otp(), address, "BPAY003", "payees", errors);
        if (check instanceof FreshOtp.Check.Refused refused) {
            return refused.redirect();
        }
        if (check instanceof FreshOtp.Check.Wrong) {
            model.addAttribute("form", form);
            return confirmPage(session, model);
        }
        long payeeId;
        boolean done;
        switch (operation) {
            case REGISTER -> {
                payeeId = payees.register(user.companyId(), form);
                done = true;
            }
            case CHANGE -> {
                payeeId = form.id();
                done = form.version() != null && payees.change(user.companyId(), form);
            }
            default -> {
                payeeId = form.id();
                done = form.version() != null && payees.delete(user.companyId(), form.id(), form.version());
            }
        }
        if (!done) {
            redirect.addFlashAttribute("flashError", "payees.changedMeanwhile");
            return "redirect:/bizweb/payees";
        }
        audit.record(AuditEvent.of("PAYEE_" + (operation == PayeeOperation.REGISTER ? "REGISTERED"
                        : operation == PayeeOperation.CHANGE ? "CHANGED" : "DELETED"), user.loginId())
                .company(user.companyId()).subject("payee:" + payeeId).from(address).detail("factor", "otp")
                .detail("bank", form.bankCode() + "-" + form.branchCode())
                .detail("account", Fields.maskedAccount(form.accountNumber())));
        redirect.addFlashAttribute("doneOperation", operation.name());
        redirect.addFlashAttribute("doneHolder", form.holderName());
        return "redirect:/bizweb/payees/done";
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("doneOperation")) {
            return "redirect:/bizweb/payees";
        }
        return "bizweb/payee-done";
    }

    private String confirmPage(HttpSession session, Model model) {
        model.addAttribute("transactionToken", transactionTokens.issue(session, STEP));
        return "bizweb/payee-confirm";
    }

    private static PayeeForm formOf(Payees.Payee payee, PayeeOperation operation) {
        return formOf(payee, operation, payee.version(), "");
    }

    private static PayeeForm formOf(Payees.Payee payee, PayeeOperation operation, Integer version, String otp) {
        return new PayeeForm(operation.name(), payee.id(), version, payee.bankCode(), payee.branchCode(),
                payee.accountType(), payee.accountNumber(), payee.holderName(), otp, "");
    }
}
