package io.kagi.console.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.CompanyCreation;
import io.kagi.bizweb.CustomerAdministration.NewCompany;
import io.kagi.console.Companies;
import io.kagi.console.Companies.CompanyChange;
import io.kagi.console.Companies.CompanyChanged;
import io.kagi.confirmation.Execution;
import io.kagi.console.OperatorAccount;
import io.kagi.platform.BankAccounts;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Contracts: CCMP001 (list and search), CCMP002 (new contract: company name and 代表口座), CCMP003
 * (confirm with a fresh OTP; supervisors only) and CCMP004 (created: the 仮ログインパスワード, shown
 * this once — rendered straight from the POST, never kept in the session or the database). Support
 * work on a company: CCMP005 (the company: state, first use, suspension; rename, suspend or resume,
 * a new 仮ログインパスワード), CCMP006 (confirm with a fresh OTP; supervisors only), CCMP007 (the new
 * 仮ログインパスワード, shown this once, rendered from the POST).
 */
@Controller
class CompanyController {

    private static final int SHOWN = 100;

    private final CustomerAdministration customers;
    private final Companies companies;

    CompanyController(CustomerAdministration customers, Companies companies) {
        this.customers = customers;
        this.companies = companies;
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
            if (!BankAccounts.isBranchCode(branchCode)) {
                errors.put("branchCode", "console.error.branchCode");
            }
            if (!accountType.equals("ORDINARY") && !accountType.equals("CURRENT")) {
                errors.put("accountType", "console.error.required");
            }
            if (!BankAccounts.isAccountNumber(accountNumber)) {
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
    String confirm(@AuthenticationPrincipal OperatorAccount operator, @ModelAttribute("form") CompanyForm form,
                   HttpServletRequest request, Model model) {
        Map<String, String> errors = form.errors();
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/company-new";
        }
        NewCompany company = form.toNewCompany();
        return showConfirm(company, companies.holdCreation(operator, ClientAddress.of(request), company), null, model);
    }

    @PostMapping("/console/companies/new/create")
    String create(@AuthenticationPrincipal OperatorAccount operator, @RequestParam(required = false) String otp,
                  @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
                  RedirectAttributes redirect) {
        Execution<NewCompany, CompanyCreation> execution =
                companies.create(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/companies", redirect, done -> {
                if (done.result() instanceof CompanyCreation.Created created) {
                    model.addAttribute("company", created.company());
                    model.addAttribute("temporaryPassword", created.temporaryPassword());
                    return "console/company-created";
                }
                // CompanyCreation.AccountTaken: registered meanwhile (another form); nothing was created.
                NewCompany company = done.operation();
                model.addAttribute("form", new CompanyForm(company.name(), company.branchCode(), company.accountType(),
                        company.accountNumber()));
                model.addAttribute("errors", Map.of("accountNumber", "console.error.accountTaken"));
                return "console/company-new";
        }, wrong -> showConfirm(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    @GetMapping("/console/companies/{id}")
    String company(@PathVariable long id, Model model) {
        model.addAttribute("company", existing(id));
        model.addAttribute("nameForm", existing(id).name());
        model.addAttribute("errors", Map.of());
        return "console/company";
    }

    @PostMapping("/console/companies/{id}/rename/confirm")
    String confirmRename(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                         @RequestParam(defaultValue = "") String name, HttpServletRequest request, Model model) {
        CustomerAdministration.Company company = existing(id);
        String typed = name.strip();
        String error = typed.isEmpty() ? "console.error.required" : typed.length() > 100 ? "console.error.tooLong100"
                : typed.equals(company.name()) ? "console.company.error.sameName" : null;
        if (error != null) {
            model.addAttribute("company", company);
            model.addAttribute("nameForm", typed);
            model.addAttribute("errors", Map.of("name", error));
            return "console/company";
        }
        CompanyChange change = new CompanyChange(id, Companies.Action.RENAME, company.name(), typed);
        return showChange(change, companies.holdChange(operator, ClientAddress.of(request), change), null, model);
    }

    @PostMapping("/console/companies/{id}/change/confirm")
    String confirmChange(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                         @RequestParam Companies.Action action, HttpServletRequest request, Model model) {
        existing(id);
        if (action == Companies.Action.RENAME) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        CompanyChange change = new CompanyChange(id, action, null, null);
        return showChange(change, companies.holdChange(operator, ClientAddress.of(request), change), null, model);
    }

    /** Carries out the change confirmed under the form token (the path only names the page). */
    @PostMapping("/console/companies/{id}/change/execute")
    String change(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                  @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<CompanyChange, CompanyChanged> execution =
                companies.change(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/companies/" + id, redirect, done -> {
            CompanyChanged changed = done.result();
            if (changed.temporaryPassword() != null) {
                model.addAttribute("company", existing(done.operation().companyId()));
                model.addAttribute("temporaryPassword", changed.temporaryPassword());
                return "console/company-password";
            }
            redirect.addFlashAttribute(changed.messageKey().endsWith(".true") ? "flashNotice" : "flashError",
                    changed.messageKey());
            return "redirect:/console/companies/" + done.operation().companyId();
        }, wrong -> showChange(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    private CustomerAdministration.Company existing(long id) {
        return customers.company(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showChange(CompanyChange change, String formToken, String otpError, Model model) {
        CustomerAdministration.Company company = existing(change.companyId());
        List<ConfirmPage.Row> rows = new ArrayList<>();
        rows.add(ConfirmPage.Row.text("console.company.id", String.valueOf(company.id())));
        if (change.action() == Companies.Action.RENAME) {
            rows.add(ConfirmPage.Row.text("console.company.name", change.expectedName() + " → " + change.name()));
        } else {
            rows.add(ConfirmPage.Row.text("console.company.name", company.name()));
        }
        String action = "console.company.action." + change.action().name();
        String path = "/console/companies/" + company.id();
        model.addAttribute("page", new ConfirmPage("CCMP006", action, action + ".lead", rows, path + "/change/execute",
                path));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }

    private String showConfirm(NewCompany company, String formToken, String otpError, Model model) {
        model.addAttribute("page", new ConfirmPage("CCMP003", "console.company.confirm.title", "console.company.confirm.lead",
                List.of(ConfirmPage.Row.text("console.company.name", company.name()),
                        ConfirmPage.Row.text("console.company.branchCode", company.branchCode()),
                        ConfirmPage.Row.message("console.company.accountType", "console.company.accountType." + company.accountType()),
                        ConfirmPage.Row.text("console.company.accountNumber", company.accountNumber())),
                "/console/companies/new/create", "/console/companies/new"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }
}
