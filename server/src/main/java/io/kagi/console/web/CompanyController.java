package io.kagi.console.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.CompanyCreation;
import io.kagi.bizweb.CustomerAdministration.NewCompany;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Contracts: CCMP001 (list and search), CCMP002 (new contract: company name and 代表口座), CCMP003
 * (confirm with a fresh OTP; supervisors only) and CCMP004 (created: the 仮ログインパスワード, shown
 * this once — rendered straight from the POST, never kept in the session or the database).
 */
@Controller
class CompanyController {

    private static final String STEP = "company-create";
    private static final int SHOWN = 100;

    private final CustomerAdministration customers;
    private final ConsoleConfirmations confirmations;

    CompanyController(CustomerAdministration customers, ConsoleConfirmations confirmations) {
        this.customers = customers;
        this.confirmations = confirmations;
    }

    /** The new-contract form as typed. */
    record CompanyForm(String name, String branchCode, String accountType, String accountNumber) {
        CompanyForm {
            name = name == null ? "" : name.strip();
            branchCode = branchCode == null ? "" : branchCode.strip();
            accountType = accountType == null || accountType.isBlank() ? "ORDINARY" : accountType;
            accountNumber = accountNumber == null ? "" : accountNumber.strip();
        }

        Map<String, String> errors() {
            Map<String, String> errors = new LinkedHashMap<>();
            if (name.isEmpty()) {
                errors.put("name", "console.error.required");
            } else if (name.length() > 100) {
                errors.put("name", "console.error.tooLong100");
            }
            if (!branchCode.matches("[0-9]{3}")) {
                errors.put("branchCode", "console.error.branchCode");
            }
            if (!accountType.equals("ORDINARY") && !accountType.equals("CURRENT")) {
                errors.put("accountType", "console.error.required");
            }
            if (!accountNumber.matches("[0-9]{7}")) {
                errors.put("accountNumber", "console.error.accountNumber");
            }
            return errors;
        }

        NewCompany toNewCompany() {
            return new NewCompany(name, branchCode, accountType, accountNumber);
        }

        @Override
        public String toString() {
            return "CompanyForm[name=" + name + ", branchCode=" + branchCode + ", accountType=" + accountType
                    + ", accountNumber=(hidden)]";
        }
    }

    @GetMapping("/console/companies")
    String list(@RequestParam(defaultValue = "") String q, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("companies", customers.companies(q, SHOWN));
        return "console/companies";
    }

    @GetMapping("/console/companies/new")
    String form(Model model) {
        model.addAttribute("form", new CompanyForm("", "", "ORDINARY", ""));
        model.addAttribute("errors", Map.of());
        return "console/company-new";
    }

    @PostMapping("/console/companies/new/confirm")
    String confirm(@ModelAttribute("form") CompanyForm form, HttpSession session, Model model) {
        Map<String, String> errors = form.errors();
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/company-new";
        }
        return showConfirm(form, session, model, null);
    }

    @PostMapping("/console/companies/new/create")
    String create(@AuthenticationPrincipal OperatorAccount operator, @ModelAttribute("form") CompanyForm form,
                  @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                  HttpServletRequest request, HttpSession session, Model model, RedirectAttributes redirect) {
        String address = ClientAddress.of(request);
        ConsoleConfirmations.Check check = confirmations.check(operator, session, STEP, transactionToken, otp, address);
        if (check instanceof ConsoleConfirmations.Check.DoubleSubmit) {
            redirect.addFlashAttribute("flashError", "console.error.doubleSubmit");
            return "redirect:/console/companies";
        }
        if (check instanceof ConsoleConfirmations.Check.CodeRefused refused) {
            return showConfirm(form, session, model, refused.messageKey());
        }
        Map<String, String> errors = form.errors();
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/company-new";
        }
        CompanyCreation result = customers.createCompany(form.toNewCompany(), operator.actor(), address);
        if (result instanceof CompanyCreation.Created created) {
            model.addAttribute("company", created.company());
            model.addAttribute("temporaryPassword", created.temporaryPassword());
            return "console/company-created";
        }
        model.addAttribute("errors", Map.of("accountNumber", "console.error.accountTaken"));
        return "console/company-new";
    }

    private String showConfirm(CompanyForm form, HttpSession session, Model model, String otpError) {
        Map<String, String> hidden = new LinkedHashMap<>();
        hidden.put("name", form.name());
        hidden.put("branchCode", form.branchCode());
        hidden.put("accountType", form.accountType());
        hidden.put("accountNumber", form.accountNumber());
        model.addAttribute("page", new ConfirmPage("CCMP003", "console.company.confirm.title", "console.company.confirm.lead",
                List.of(ConfirmPage.Row.text("console.company.name", form.name()),
                        ConfirmPage.Row.text("console.company.branchCode", form.branchCode()),
                        ConfirmPage.Row.message("console.company.accountType", "console.company.accountType." + form.accountType()),
                        ConfirmPage.Row.text("console.company.accountNumber", form.accountNumber())),
                "/console/companies/new/create", hidden, "/console/companies/new"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", confirmations.issue(session, STEP));
        return "console/confirm";
    }
}
