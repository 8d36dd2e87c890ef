package io.kagi.bizweb.payees;

import io.kagi.bizweb.portal.OtpError;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalSigning;
import io.kagi.bizweb.portal.Problems;
import io.kagi.authority.TransactionSigning.SigningRequest;
import io.kagi.authority.TransactionText;

import java.util.Map;
import java.util.Optional;

import io.kagi.confirmation.Execution;
import io.kagi.bizweb.portal.ExecutionAnswers;
import io.kagi.bizweb.payees.Payees.PayeeChange;
import io.kagi.bizweb.payees.PayeeForms.PayeeForm;
import io.kagi.bizweb.payees.PayeeForms.PayeeOperation;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * 振込先管理: BPAY001 (the company's payees), BPAY002 (register or change: input), BPAY003 (confirm:
 * what will happen and a fresh OTP; deletion starts here), BPAY004 (done). Any user of the company
 * with an active token manages its payees; another company's payee is not found (404).
 */
@Controller
@RequestMapping("/bizweb/payees")
class PayeeController {

    private static final ExecutionAnswers ANSWERS = new ExecutionAnswers("payees", "/bizweb/payees", "payees.changedMeanwhile");

    private final Payees payees;
    private final PortalSigning signing;

    PayeeController(Payees payees, PortalSigning signing) {
        this.payees = payees;
        this.signing = signing;
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
        Payees.Payee found = payee.get();
        model.addAttribute("form", new PayeeForm(PayeeOperation.CHANGE.name(), found.id(), found.version(), found.bankCode(),
                found.branchCode(), found.accountType(), found.accountNumber(), found.holderName(), "", ""));
        return "bizweb/payee-form";
    }

    @GetMapping("/{id}/delete")
    String deletion(@AuthenticationPrincipal PortalAccount user, @PathVariable long id, HttpServletRequest request,
                    HttpServletResponse response, Model model) {
        Optional<Payees.Payee> payee = payees.find(user.companyId(), id);
        if (payee.isEmpty()) {
            return Problems.notFound(response, model);
        }
        return confirmPage(user, request, PayeeChange.deletion(payee.get()), model);
    }

    /** BPAY002 → BPAY003: checks the input and shows what will happen. */
    @PostMapping("/confirm")
    String confirm(@AuthenticationPrincipal PortalAccount user, @ModelAttribute("form") PayeeForm form, BindingResult errors,
                   HttpServletRequest request, HttpServletResponse response, Model model) {
        if (form.op() == PayeeOperation.DELETE
                || form.op() == PayeeOperation.CHANGE && (form.id() == null || form.version() == null
                || payees.find(user.companyId(), form.id()).isEmpty())) {
            return Problems.notFound(response, model);
        }
        form.validate(errors);
        if (errors.hasErrors()) {
            return "bizweb/payee-form";
        }
        return confirmPage(user, request, PayeeChange.of(form), model);
    }

    /** BPAY003 → BPAY004: the fresh OTP, then exactly the change BPAY003 showed (held on the server), once. */
    @PostMapping("/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @RequestParam(required = false) String transactionToken,
                   @RequestParam(required = false) String otp, @RequestParam(required = false) String signature,
                   HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<PayeeChange, Long> execution = payees.execute(user, ClientAddresses.of(request), transactionToken, otp,
                signature);
        return ANSWERS.answer(execution, redirect, done -> {
            redirect.addFlashAttribute("doneOperation", done.operation().operation().name());
            redirect.addFlashAttribute("doneHolder", done.operation().holderName());
            return "redirect:/bizweb/payees/done";
        }, wrong -> confirmPage(wrong.operation(), wrong.formToken(), OtpError.of(wrong),
                signing.find(user, wrong.operation().signing()).orElse(null), model));
    }

    /** Where the user's signing request stands (BPAY003 polls it; see {@code ApprovalController}). */
    @GetMapping(path = "/signing/{reference}", produces = "application/json")
    @ResponseBody
    ResponseEntity<Map<String, String>> signingState(@AuthenticationPrincipal PortalAccount user,
                                                     @PathVariable String reference) {
        return signing.state(user, reference)
                .map(state -> ResponseEntity.ok(Map.of("state", state.name())))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("doneOperation")) {
            return "redirect:/bizweb/payees";
        }
        return "bizweb/payee-done";
    }

    private String confirmPage(PortalAccount user, HttpServletRequest request, PayeeChange change, Model model) {
        SigningRequest signed = null;
        if (change.operation() != PayeeOperation.DELETE && signing.required(TransactionText.Purpose.PAYEE_REGISTRATION)) {
            // 取引認証 (policy TRANSFERS_AND_PAYEES): the phone shows and signs the payee the server holds.
            signed = signing.ask(user, ClientAddresses.of(request), change.signingText()).orElse(null);
            if (signed == null) {
                return "redirect:/bizweb/payees";
            }
            change = change.withSigning(signed.reference());
        }
        return confirmPage(change, payees.hold(user, ClientAddresses.of(request), change), null, signed, model);
    }

    private static String confirmPage(PayeeChange change, String formToken, OtpError otpError, SigningRequest signed,
                                      Model model) {
        PayeeForm form = change.form();
        BindingResult errors = new BeanPropertyBindingResult(form, "form");
        if (otpError != null && otpError.messageKey().startsWith("error.signing")) {
            errors.reject(otpError.messageKey() + (otpError.attemptsLeft() >= 0 ? "AttemptsLeft" : ""),
                    otpError.attemptsLeft() >= 0 ? new Object[] {otpError.attemptsLeft()} : null, null);
        } else if (otpError != null) {
            otpError.rejectOn(errors);
        }
        model.addAttribute("signing", signed);
        model.addAttribute("form", form);
        model.addAttribute(BindingResult.MODEL_KEY_PREFIX + "form", errors);
        model.addAttribute("transactionToken", formToken);
        return "bizweb/payee-confirm";
    }
}
