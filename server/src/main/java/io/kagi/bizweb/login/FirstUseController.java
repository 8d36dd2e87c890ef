package io.kagi.bizweb.login;

import io.kagi.bizweb.portal.ClientAddresses;

import io.kagi.bizweb.login.FirstUseForms.ContractForm;
import io.kagi.bizweb.login.FirstUseForms.MasterUserForm;
import io.kagi.bizweb.login.FirstUseForms.Ticket;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * ログインID取得 (first use): BLGI002 (the contract: 代表口座 and 仮ログインパスワード), BLGI003 (the
 * master user) and BLGI004 (done). Post/Redirect/Get throughout; BLGI003 carries a transaction token.
 */
@Controller
@RequestMapping("/bizweb/first-use")
class FirstUseController {

    private final FirstUse firstUse;

    FirstUseController(FirstUse firstUse) {
        this.firstUse = firstUse;
    }

    @GetMapping
    String contract(Model model) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", ContractForm.empty());
        }
        return "bizweb/first-use-contract";
    }

    @PostMapping
    String checkContract(@ModelAttribute("form") ContractForm form, BindingResult errors, HttpServletRequest request) {
        form.validate(errors);
        if (errors.hasErrors()) {
            return "bizweb/first-use-contract";
        }
        FirstUse.ContractCheck check = firstUse.checkContract(form, ClientAddresses.of(request));
        if (check instanceof FirstUse.ContractCheck.Proven proven) {
            if (request.getSession(false) != null) {
                request.changeSessionId(); // against fixation; usually there is none yet (LazySessions)
            }
            request.getSession().setAttribute(Ticket.ATTRIBUTE, proven.ticket());
            return "redirect:/bizweb/first-use/user";
        }
        errors.reject(check instanceof FirstUse.ContractCheck.Locked ? "firstUse.locked" : "firstUse.wrong");
        return "bizweb/first-use-contract";
    }

    @GetMapping("/user")
    String masterUser(HttpSession session, HttpServletRequest request, Model model) {
        if (!(session.getAttribute(Ticket.ATTRIBUTE) instanceof Ticket ticket)) {
            return "redirect:/bizweb/first-use";
        }
        model.addAttribute("form", MasterUserForm.empty());
        model.addAttribute("companyName", ticket.companyName());
        model.addAttribute("transactionToken", firstUse.openMasterUserForm(ticket, ClientAddresses.of(request)));
        return "bizweb/first-use-user";
    }

    @PostMapping("/user")
    String createMasterUser(@ModelAttribute("form") MasterUserForm form, BindingResult errors, HttpServletRequest request,
                            HttpSession session, Model model, RedirectAttributes redirect) {
        if (!(session.getAttribute(Ticket.ATTRIBUTE) instanceof Ticket ticket)) {
            return "redirect:/bizweb/first-use";
        }
        form.validate(errors);
        if (!errors.hasFieldErrors("password") && firstUse.isTemporaryPassword(ticket, form.password())) {
            errors.rejectValue("password", "error.passwordIsTemporary");
        }
        if (!errors.hasErrors()) {
            FirstUse.Completion completion = firstUse.complete(ticket, form, form.transactionToken(), ClientAddresses.of(request));
            if (completion instanceof FirstUse.Completion.Done done) {
                session.removeAttribute(Ticket.ATTRIBUTE);
                redirect.addFlashAttribute("loginId", done.loginId());
                return "redirect:/bizweb/first-use/done";
            }
            if (completion instanceof FirstUse.Completion.AlreadyDone) {
                session.removeAttribute(Ticket.ATTRIBUTE);
                redirect.addFlashAttribute("flashError", "firstUse.alreadyDone");
                return "redirect:/bizweb/login";
            }
            if (completion instanceof FirstUse.Completion.FormSentAgain) {
                redirect.addFlashAttribute("flashError", "error.doubleSubmit");
                return "redirect:/bizweb/first-use/user";
            }
            if (!(completion instanceof FirstUse.Completion.LoginIdTaken)) {
                throw new IllegalStateException("A completion of an unknown kind: " + completion.getClass().getName());
            }
            errors.rejectValue("loginId", "error.loginIdTaken");
        }
        model.addAttribute("companyName", ticket.companyName());
        // The form was not used up (field errors, or the login ID taken rolled it back): the same one goes again.
        model.addAttribute("transactionToken", form.transactionToken());
        return "bizweb/first-use-user";
    }

    @GetMapping("/done")
    String done(Model model) {
        if (!model.containsAttribute("loginId")) {
            return "redirect:/bizweb/login";
        }
        return "bizweb/first-use-done";
    }
}
