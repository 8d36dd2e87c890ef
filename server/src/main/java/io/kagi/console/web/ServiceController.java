package io.kagi.console.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.kagi.authority.ApiSecret;
import io.kagi.authority.ServiceDetails;
import io.kagi.authority.ServiceId;
import io.kagi.authority.SigningPolicy;
import io.kagi.authority.TransactionSigning;
import io.kagi.confirmation.Execution;
import io.kagi.console.OperatorAccount;
import io.kagi.console.RelyingParties;
import io.kagi.console.RelyingParties.ApiSecretChange;
import io.kagi.console.RelyingParties.Outcome;
import io.kagi.console.RelyingParties.PolicyChange;
import io.kagi.console.RelyingParties.PolicyTerms;
import io.kagi.console.RelyingParties.ServiceRegistration;
import io.kagi.console.RelyingParties.SuspensionChange;

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
 * Relying parties (連携サービス): CSRV001 (list), CSRV002 (register: サービスID, name, policy) →
 * CSRV003 (confirm), CSRV004 (a service: policy, API secret, state), CSRV005 (policy) → CSRV006
 * (confirm), CSRV007 (confirm issuing or rotating the API secret) → CSRV008 (the new secret, shown
 * this once — rendered straight from the POST, never kept in the session, a log or the database),
 * CSRV009 (confirm suspending or resuming). Reading is for every operator, changes for supervisors.
 */
@Controller
class ServiceController {

    private static final String LIST = "/console/services";

    private final RelyingParties relyingParties;

    private final TransactionSigning signing;

    ServiceController(RelyingParties relyingParties, TransactionSigning signing) {
        this.signing = signing;
        this.relyingParties = relyingParties;
    }

    /** The register and policy forms as typed: サービスID and name (register only) and the policy's rules. */
    record ServiceForm(String serviceId, String name, String algorithm, String digits, String stepSeconds, String window,
                       String lockThreshold, String activationValidityHours, String revokeCoolingOffMinutes,
                       String otpAtLogin, String transactionSigning) {

        private static final Pattern SERVICE_ID = Pattern.compile("[0-9]{8}");
        private static final Pattern NUMBER = Pattern.compile("[0-9]{1,6}");

        ServiceForm {
            serviceId = strip(serviceId);
            name = strip(name);
            algorithm = strip(algorithm);
            digits = strip(digits);
            stepSeconds = strip(stepSeconds);
            window = strip(window);
            lockThreshold = strip(lockThreshold);
            activationValidityHours = strip(activationValidityHours);
            revokeCoolingOffMinutes = strip(revokeCoolingOffMinutes);
            otpAtLogin = otpAtLogin == null ? "" : otpAtLogin;
            transactionSigning = strip(transactionSigning);
        }

        static ServiceForm of(String serviceId, String name, PolicyTerms policy, SigningPolicy signing) {
            return new ServiceForm(serviceId, name, policy.algorithm(), String.valueOf(policy.digits()),
                    String.valueOf(policy.stepSeconds()), String.valueOf(policy.window()),
                    String.valueOf(policy.lockThreshold()), String.valueOf(policy.activationValidityHours()),
                    String.valueOf(policy.revokeCoolingOffMinutes()), policy.otpAtLogin() ? "true" : "",
                    signing.name());
        }

        Map<String, String> registrationErrors() {
            Map<String, String> errors = new LinkedHashMap<>();
            if (!SERVICE_ID.matcher(serviceId).matches()) {
                errors.put("serviceId", "console.service.error.serviceId");
            }
            if (name.isEmpty()) {
                errors.put("name", "console.error.required");
            } else if (name.length() > 100) {
                errors.put("name", "console.error.tooLong100");
            }
            errors.putAll(policyErrors());
            return errors;
        }

        Map<String, String> policyErrors() {
            Map<String, String> errors = new LinkedHashMap<>();
            if (!List.of("SHA1", "SHA256", "SHA512").contains(algorithm)) {
                errors.put("algorithm", "console.service.error.algorithm");
            }
            range(errors, "digits", digits, 6, 8);
            range(errors, "stepSeconds", stepSeconds, 1, 600);
            range(errors, "window", window, 0, 10);
            range(errors, "lockThreshold", lockThreshold, 1, 100);
            range(errors, "activationValidityHours", activationValidityHours, 1, 720);
            range(errors, "revokeCoolingOffMinutes", revokeCoolingOffMinutes, 0, 10080);
            return errors;
        }

        /** CSRV005's errors: the rules' and the 取引認証 policy's (CSRV002 has no such field: a new service starts TOTP only). */
        Map<String, String> changeErrors() {
            Map<String, String> errors = policyErrors();
            if (Arrays.stream(SigningPolicy.values()).noneMatch(choice -> choice.name().equals(transactionSigning))) {
                errors.put("transactionSigning", "console.service.error.transactionSigning");
            }
            return errors;
        }

        /** The 取引認証 policy chosen; only after {@link #changeErrors()} found nothing. */
        SigningPolicy signing() {
            return SigningPolicy.valueOf(transactionSigning);
        }

        /** The policy typed; only after {@link #policyErrors()} found nothing. */
        PolicyTerms policy() {
            return new PolicyTerms(algorithm, Integer.parseInt(digits), Integer.parseInt(stepSeconds),
                    Integer.parseInt(window), Integer.parseInt(lockThreshold), Integer.parseInt(activationValidityHours),
                    Integer.parseInt(revokeCoolingOffMinutes), "true".equals(otpAtLogin));
        }

        private static void range(Map<String, String> errors, String field, String value, int least, int most) {
            if (!NUMBER.matcher(value).matches() || Integer.parseInt(value) < least || Integer.parseInt(value) > most) {
                errors.put(field, "console.service.error." + field);
            }
        }

        private static String strip(String value) {
            return value == null ? "" : value.strip();
        }
    }

    @GetMapping(LIST)
    String list(Model model) {
        model.addAttribute("services", relyingParties.list());
        return "console/services";
    }

    @GetMapping(LIST + "/new")
    String registrationForm(Model model) {
        model.addAttribute("form", ServiceForm.of("", "", PolicyTerms.of(io.kagi.authority.ServicePolicy.defaults()),
                SigningPolicy.TOTP_ONLY));
        model.addAttribute("errors", Map.of());
        return "console/service-new";
    }

    @PostMapping(LIST + "/new/confirm")
    String confirmRegistration(@AuthenticationPrincipal OperatorAccount operator, @ModelAttribute("form") ServiceForm form,
                               HttpServletRequest request, Model model) {
        Map<String, String> errors = form.registrationErrors();
        if (errors.isEmpty() && relyingParties.find(new ServiceId(form.serviceId())).isPresent()) {
            errors.put("serviceId", "console.service.error.taken");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/service-new";
        }
        ServiceRegistration registration = new ServiceRegistration(form.serviceId(), form.name(), form.policy());
        return showRegistration(registration, relyingParties.hold(operator, ClientAddress.of(request), registration), null,
                model);
    }

    @PostMapping(LIST + "/new/register")
    String register(@AuthenticationPrincipal OperatorAccount operator, @RequestParam(required = false) String otp,
                    @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
                    RedirectAttributes redirect) {
        Execution<ServiceRegistration, Boolean> execution =
                relyingParties.register(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, LIST, redirect, done -> {
            ServiceRegistration registration = done.operation();
            if (done.result()) {
                redirect.addFlashAttribute("flashNotice", "console.service.registered");
                return "redirect:" + LIST + "/" + registration.serviceId();
            }
            // Taken meanwhile (another form): nothing was registered.
            model.addAttribute("form", ServiceForm.of(registration.serviceId(), registration.name(), registration.policy(),
                    SigningPolicy.TOTP_ONLY));
            model.addAttribute("errors", Map.of("serviceId", "console.service.error.taken"));
            return "console/service-new";
        }, wrong -> showRegistration(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    @GetMapping(LIST + "/{serviceId}")
    String service(@PathVariable String serviceId, Model model) {
        ServiceDetails service = existing(serviceId);
        model.addAttribute("service", service);
        model.addAttribute("builtIn", relyingParties.builtIn(service.serviceId()));
        // 取引認証 (docs/transaction-signing.md): changed on CSRV005 with the rest of the policy.
        model.addAttribute("signingPolicy", signing.policy(service.serviceId()).name());
        return "console/service";
    }

    @GetMapping(LIST + "/{serviceId}/policy")
    String policyForm(@PathVariable String serviceId, Model model) {
        ServiceDetails service = existing(serviceId);
        model.addAttribute("service", service);
        model.addAttribute("form", ServiceForm.of(service.serviceId().digits(), service.name(), PolicyTerms.of(service.policy()),
                signing.policy(service.serviceId())));
        model.addAttribute("errors", Map.of());
        return "console/service-policy";
    }

    @PostMapping(LIST + "/{serviceId}/policy/confirm")
    String confirmPolicy(@AuthenticationPrincipal OperatorAccount operator, @PathVariable String serviceId,
                         @ModelAttribute("form") ServiceForm form, HttpServletRequest request, Model model,
                         RedirectAttributes redirect) {
        ServiceDetails service = existing(serviceId);
        Map<String, String> errors = form.changeErrors();
        SigningPolicy signingNow = signing.policy(service.serviceId());
        if (errors.isEmpty() && !new PolicyChange(serviceId, PolicyTerms.of(service.policy()), form.policy(), signingNow,
                form.signing()).changesAnything()) {
            errors.put("form", "console.service.error.unchanged");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("service", service);
            model.addAttribute("errors", errors);
            return "console/service-policy";
        }
        PolicyChange change = new PolicyChange(serviceId, PolicyTerms.of(service.policy()), form.policy(), signingNow,
                form.signing());
        return showPolicy(change, relyingParties.hold(operator, ClientAddress.of(request), change), null, model);
    }

    @PostMapping(LIST + "/{serviceId}/policy/change")
    String changePolicy(@AuthenticationPrincipal OperatorAccount operator, @PathVariable String serviceId,
                        @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                        HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<PolicyChange, Outcome<ServiceDetails>> execution =
                relyingParties.changePolicy(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, LIST + "/" + serviceId, redirect, done -> {
            if (done.result() instanceof Outcome.AwaitingApproval<ServiceDetails>) {
                redirect.addFlashAttribute("flashNotice", "console.pending.proposed");
                return "redirect:/console/approvals";
            }
            redirect.addFlashAttribute("flashNotice", "console.service.policyChanged");
            return "redirect:" + LIST + "/" + done.operation().serviceId();
        }, wrong -> showPolicy(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    @PostMapping(LIST + "/{serviceId}/secret/confirm")
    String confirmSecret(@AuthenticationPrincipal OperatorAccount operator, @PathVariable String serviceId,
                         HttpServletRequest request, Model model) {
        ServiceDetails service = existing(serviceId);
        ApiSecretChange change = new ApiSecretChange(serviceId, service.apiSecretVersion());
        return showSecret(change, relyingParties.hold(operator, ClientAddress.of(request), change), null, model);
    }

    @PostMapping(LIST + "/{serviceId}/secret/issue")
    String issueSecret(@AuthenticationPrincipal OperatorAccount operator, @PathVariable String serviceId,
                       @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                       HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<ApiSecretChange, Outcome<ApiSecret>> execution =
                relyingParties.changeApiSecret(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, LIST + "/" + serviceId, redirect, done -> {
            if (done.result() instanceof Outcome.Now<ApiSecret> now) {
                return showIssuedSecret(now.result(), existing(done.operation().serviceId()).name(), model);
            }
            redirect.addFlashAttribute("flashNotice", "console.pending.proposed");
            return "redirect:/console/approvals";
        }, wrong -> showSecret(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    @PostMapping(LIST + "/{serviceId}/suspension/confirm")
    String confirmSuspension(@AuthenticationPrincipal OperatorAccount operator, @PathVariable String serviceId,
                             @RequestParam boolean suspend, HttpServletRequest request, Model model,
                             RedirectAttributes redirect) {
        existing(serviceId);
        SuspensionChange change = new SuspensionChange(serviceId, suspend);
        return relyingParties.hold(operator, ClientAddress.of(request), change)
                .map(formToken -> showSuspension(change, formToken, null, model))
                .orElseGet(() -> {
                    redirect.addFlashAttribute("flashError", "console.service.error.builtIn");
                    return "redirect:" + LIST + "/" + serviceId;
                });
    }

    @PostMapping(LIST + "/{serviceId}/suspension/change")
    String changeSuspension(@AuthenticationPrincipal OperatorAccount operator, @PathVariable String serviceId,
                            @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                            HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<SuspensionChange, ServiceDetails> execution =
                relyingParties.changeSuspension(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, LIST + "/" + serviceId, redirect, done -> {
            redirect.addFlashAttribute("flashNotice",
                    done.operation().suspend() ? "console.service.suspended" : "console.service.resumed");
            return "redirect:" + LIST + "/" + done.operation().serviceId();
        }, wrong -> showSuspension(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    /** CSRV008: the new secret, shown this once, to whoever carried the change out (the maker, or the approver). */
    static String showIssuedSecret(ApiSecret secret, String serviceName, Model model) {
        model.addAttribute("secret", secret);
        model.addAttribute("serviceName", serviceName);
        return "console/service-secret";
    }

    private ServiceDetails existing(String serviceId) {
        if (serviceId == null || !serviceId.matches("[0-9]{8}")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return relyingParties.find(new ServiceId(serviceId))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showRegistration(ServiceRegistration registration, String formToken, String otpError, Model model) {
        List<ConfirmPage.Row> rows = new ArrayList<>();
        rows.add(ConfirmPage.Row.text("console.service.serviceId", registration.serviceId()));
        rows.add(ConfirmPage.Row.text("console.service.name", registration.name()));
        rows.addAll(policyRows(registration.policy()));
        return confirm(new ConfirmPage("CSRV003", "console.service.register.confirm.title",
                "console.service.register.confirm.lead", rows, LIST + "/new/register", LIST + "/new"), formToken, otpError, model);
    }

    private String showPolicy(PolicyChange change, String formToken, String otpError, Model model) {
        List<ConfirmPage.Row> rows = new ArrayList<>();
        rows.add(ConfirmPage.Row.text("console.service.serviceId", change.serviceId()));
        List<ConfirmPage.Row> before = policyRows(change.before());
        List<ConfirmPage.Row> after = policyRows(change.after());
        for (int i = 0; i < after.size(); i++) {
            ConfirmPage.Row now = after.get(i);
            ConfirmPage.Row was = before.get(i);
            if (!now.value().equals(was.value())) {
                rows.add(ConfirmPage.Row.text(now.labelKey(), was.value() + " → " + now.value()));
            }
        }
        if (change.changesSigning()) {
            rows.add(ConfirmPage.Row.message("console.service.signing.before",
                    "console.service.signing." + change.signingBefore().name()));
            rows.add(ConfirmPage.Row.message("console.service.signing.after",
                    "console.service.signing." + change.signingAfter().name()));
        }
        String path = LIST + "/" + change.serviceId();
        return confirm(new ConfirmPage("CSRV006", "console.service.policy.confirm.title",
                "console.service.policy.confirm.lead", rows, path + "/policy/change", path + "/policy"), formToken, otpError, model);
    }

    private String showSecret(ApiSecretChange change, String formToken, String otpError, Model model) {
        String path = LIST + "/" + change.serviceId();
        return confirm(new ConfirmPage("CSRV007",
                change.rotation() ? "console.service.secret.rotate.title" : "console.service.secret.issue.title",
                change.rotation() ? "console.service.secret.rotate.lead" : "console.service.secret.issue.lead",
                List.of(ConfirmPage.Row.text("console.service.serviceId", change.serviceId()),
                        ConfirmPage.Row.text("console.service.name", existing(change.serviceId()).name())),
                path + "/secret/issue", path), formToken, otpError, model);
    }

    private String showSuspension(SuspensionChange change, String formToken, String otpError, Model model) {
        String path = LIST + "/" + change.serviceId();
        return confirm(new ConfirmPage("CSRV009",
                change.suspend() ? "console.service.suspend.title" : "console.service.resume.title",
                change.suspend() ? "console.service.suspend.lead" : "console.service.resume.lead",
                List.of(ConfirmPage.Row.text("console.service.serviceId", change.serviceId()),
                        ConfirmPage.Row.text("console.service.name", existing(change.serviceId()).name())),
                path + "/suspension/change", path), formToken, otpError, model);
    }

    /** The policy's rules as confirm-screen rows (values as an operator reads them). */
    private static List<ConfirmPage.Row> policyRows(PolicyTerms policy) {
        List<ConfirmPage.Row> rows = new ArrayList<>();
        policy.rules().forEach((label, value) -> rows.add(ConfirmPage.Row.text(label, value)));
        return rows;
    }

    private static String confirm(ConfirmPage page, String formToken, String otpError, Model model) {
        model.addAttribute("page", page);
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }
}
