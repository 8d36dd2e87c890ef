package io.kagi.bizweb.certificates;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.kagi.bizweb.portal.CertificateLogin;
import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.OtpError;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalIdentity;
import io.kagi.certificates.ClientCertificateTls;
import io.kagi.certificates.ClientCertificates;
import io.kagi.confirmation.Execution;
import io.kagi.platform.BankTime;
import io.kagi.signin.LoginRefusal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * 電子証明書: issuance from BLGI001 ({@code /bizweb/certificate/issue}: login ID and password, then on the same
 * page the OTP, the PKCS#12 password and the browser's key pair; {@code /issue/sign} answers the page's script
 * with JSON), the user's certificates and renewal ({@code /bizweb/certificate}), the master user's revocation
 * and ways in, and the refusal page of 電子証明書ログイン.
 */
@Controller
class CertificateController {

    private final CertificateWork work;
    private final ClientCertificates certificates;
    private final PortalIdentity identity;
    private final CertificateLogin login;
    private final ClientCertificateTls.HttpsEndpoint https;
    private final BankTime bankTime;
    private final MessageSource messages;

    CertificateController(CertificateWork work, ClientCertificates certificates, PortalIdentity identity,
                          CertificateLogin login, ClientCertificateTls.HttpsEndpoint https, BankTime bankTime,
                          MessageSource messages) {
        this.work = work;
        this.certificates = certificates;
        this.identity = identity;
        this.login = login;
        this.https = https;
        this.bankTime = bankTime;
        this.messages = messages;
    }

    private void offered() {
        if (!certificates.enabled()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }

    @GetMapping("/bizweb/certificate/issue")
    String issuePage(Model model) {
        offered();
        model.addAttribute("step", "credentials");
        return "bizweb/certificate-issue";
    }

    @PostMapping("/bizweb/certificate/issue")
    String prove(@RequestParam(name = "loginId", required = false) String loginId,
                 @RequestParam(name = "password", required = false) String password, HttpServletRequest request,
                 Model model) {
        offered();
        model.addAttribute("step", "credentials");
        if (loginId == null || loginId.isBlank() || password == null || password.isEmpty()) {
            model.addAttribute("error", "certificate.issue.required");
            return "bizweb/certificate-issue";
        }
        PortalIdentity.Proof proof = identity.prove(loginId.trim(), password, request);
        if (proof instanceof PortalIdentity.Proof.Refused refused) {
            LoginRefusal refusal = refused.refusal();
            model.addAttribute("error", switch (refusal.kind()) {
                case WRONG_CREDENTIALS -> "login.failed";
                case LOCKED -> "login.locked";
                case THROTTLED -> "certificate.issue.throttled";
            });
            model.addAttribute("waitSeconds", refusal.retryAfter().toSeconds());
            return "bizweb/certificate-issue";
        }
        PortalAccount user = ((PortalIdentity.Proof.Proven) proof).user();
        return signStep(user, request, null, model);
    }

    private String signStep(PortalAccount user, HttpServletRequest request, String renews, Model model) {
        CertificateWork.Gate gate = work.gate(user);
        if (gate == CertificateWork.Gate.NO_TOKEN || gate == CertificateWork.Gate.TOKEN_LOCKED) {
            model.addAttribute("step", "credentials");
            model.addAttribute("error", gate == CertificateWork.Gate.NO_TOKEN ? "certificate.issue.noToken"
                    : "certificate.issue.tokenLocked");
            return "bizweb/certificate-issue";
        }
        model.addAttribute("step", "sign");
        model.addAttribute("loginId", user.loginId());
        model.addAttribute("renews", renews);
        model.addAttribute("needsOtp", gate == CertificateWork.Gate.WITH_CODE);
        model.addAttribute("transactionToken", work.openIssue(user, ClientAddresses.of(request), renews));
        return "bizweb/certificate-issue";
    }

    /** The page's script sends the PKCS#10 request here; the answer is JSON (the certificate, or what went wrong). */
    @PostMapping(value = "/bizweb/certificate/issue/sign", produces = "application/json")
    @ResponseBody
    ResponseEntity<Map<String, Object>> sign(@RequestParam(name = "loginId", required = false) String loginId,
                                             @RequestParam(name = "transactionToken", required = false) String formToken,
                                             @RequestParam(name = "otp", required = false) String otp,
                                             @RequestParam(name = "csr", required = false) String csr,
                                             HttpServletRequest request, Locale locale) {
        offered();
        Optional<PortalAccount> user = identity.find(loginId);
        if (user.isEmpty() || formToken == null || formToken.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "certificate.sign.startAgain", null, locale);
        }
        CertificateWork.Gate gate = work.gate(user.get());
        if (gate == CertificateWork.Gate.WITH_CODE && (otp == null || !otp.matches("[0-9]{6,8}"))) {
            return error(HttpStatus.UNPROCESSABLE_CONTENT, "error.otpFormat", formToken, locale);
        }
        ClientCertificates.Parsed parsed = certificates.parse(csr, user.get().loginId());
        if (parsed instanceof ClientCertificates.Parsed.Invalid invalid) {
            return error(HttpStatus.UNPROCESSABLE_CONTENT, "certificate.sign." + invalid.problem().name(), formToken, locale);
        }
        ClientCertificates.CheckedRequest checked = ((ClientCertificates.Parsed.Valid) parsed).request();
        Execution<CertificateWork.IssueOrder, ClientCertificates.Issued> execution;
        try {
            execution = work.issue(user.get(), ClientAddresses.of(request), formToken, otp, checked);
        } catch (DuplicateKeyException e) {
            return error(HttpStatus.CONFLICT, "certificate.sign.KEY_ALREADY_CERTIFIED", null, locale);
        }
        if (execution instanceof Execution.Done<CertificateWork.IssueOrder, ClientCertificates.Issued> done) {
            ClientCertificates.Issued issued = done.result();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", "issued");
            answer.put("serial", issued.serial());
            answer.put("certificate", issued.certificatePem());
            answer.put("chain", List.of(issued.caPem()));
            answer.put("notAfter", bankTime.minutes(issued.notAfter()));
            answer.put("friendlyName", user.get().loginId() + " (" + messages.getMessage("certificate.friendlyName", null, locale) + ")");
            answer.put("fileName", "kagi-" + user.get().loginId() + ".p12");
            return ResponseEntity.ok(answer);
        }
        if (execution instanceof Execution.WrongCode<CertificateWork.IssueOrder, ClientCertificates.Issued> wrong) {
            OtpError otpError = OtpError.of(wrong);
            String message = otpError.attemptsLeft() >= 0
                    ? messages.getMessage(otpError.messageKey() + "AttemptsLeft", new Object[] {otpError.attemptsLeft()}, locale)
                    : messages.getMessage(otpError.messageKey(), null, locale);
            return answer(HttpStatus.UNPROCESSABLE_CONTENT, message, wrong.formToken());
        }
        if (execution instanceof Execution.Refused<CertificateWork.IssueOrder, ClientCertificates.Issued> refused) {
            return error(HttpStatus.FORBIDDEN, refused.locked() ? "certificate.issue.tokenLocked" : "certificate.sign.startAgain",
                    null, locale);
        }
        if (execution instanceof Execution.AlreadyDone<CertificateWork.IssueOrder, ClientCertificates.Issued>
                || execution instanceof Execution.ChangedMeanwhile<CertificateWork.IssueOrder, ClientCertificates.Issued>) {
            return error(HttpStatus.CONFLICT, "certificate.sign.startAgain", null, locale);
        }
        throw new IllegalStateException("An execution of an unknown kind: " + execution.getClass().getName());
    }

    private ResponseEntity<Map<String, Object>> error(HttpStatus status, String key, String formToken, Locale locale) {
        return answer(status, messages.getMessage(key, null, locale), formToken);
    }

    private static ResponseEntity<Map<String, Object>> answer(HttpStatus status, String message, String formToken) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        if (formToken != null) {
            body.put("formToken", formToken);
        }
        return ResponseEntity.status(status).body(body);
    }

    /** The user's certificates (renewal), and for the master user the company's (revocation) and ways in. */
    @GetMapping("/bizweb/certificate")
    String certificates(@AuthenticationPrincipal PortalAccount user, HttpServletRequest request, Model model) {
        offered();
        model.addAttribute("mine", certificates.ofUser(user.id()));
        model.addAttribute("httpsLogin", https.origin().map(origin -> origin + "/bizweb/login").orElse(null));
        model.addAttribute("current", login.check(request) instanceof CertificateLogin.Check.Accepted accepted
                ? accepted.serial() : null);
        boolean master = user.role() == PortalAccount.Role.MASTER;
        model.addAttribute("master", master);
        if (master) {
            model.addAttribute("company", certificates.validOfCompany(user.companyId()));
            model.addAttribute("colleagues", identity.colleagues(user.companyId()));
            model.addAttribute("methods", CertificateLogin.LoginMethods.values());
        }
        return "bizweb/certificates";
    }

    @PostMapping("/bizweb/certificate/renew")
    String renew(@AuthenticationPrincipal PortalAccount user, @RequestParam("serial") String serial,
                 HttpServletRequest request, Model model) {
        offered();
        if (certificates.find(serial).filter(found -> found.userId() == user.id() && !found.revoked()).isEmpty()) {
            return "redirect:/bizweb/certificate";
        }
        return signStep(user, request, serial, model);
    }

    @PostMapping("/bizweb/certificate/company/revoke")
    String confirmRevoke(@AuthenticationPrincipal PortalAccount user, @RequestParam("serial") String serial,
                         HttpServletRequest request, Model model) {
        offered();
        master(user);
        Optional<ClientCertificates.CertificateRecord> record = certificates.validOfCompany(user.companyId()).stream()
                .filter(found -> found.serial().equals(serial)).findFirst();
        if (record.isEmpty()) {
            return "redirect:/bizweb/certificate";
        }
        model.addAttribute("action", "revoke");
        model.addAttribute("record", record.get());
        model.addAttribute("transactionToken", work.openRevoke(user, ClientAddresses.of(request),
                new CertificateWork.RevokeOrder(serial, record.get().loginId())));
        return "bizweb/certificate-confirm";
    }

    @PostMapping("/bizweb/certificate/company/methods")
    String confirmMethods(@AuthenticationPrincipal PortalAccount user, @RequestParam("userId") long userId,
                          @RequestParam("methods") CertificateLogin.LoginMethods methods, HttpServletRequest request,
                          Model model) {
        offered();
        master(user);
        Optional<PortalIdentity.Colleague> colleague = identity.colleagues(user.companyId()).stream()
                .filter(found -> found.id() == userId).findFirst();
        if (colleague.isEmpty()) {
            return "redirect:/bizweb/certificate";
        }
        model.addAttribute("action", "methods");
        model.addAttribute("colleague", colleague.get());
        model.addAttribute("newMethods", methods);
        model.addAttribute("transactionToken", work.openMethods(user, ClientAddresses.of(request),
                new CertificateWork.MethodsOrder(userId, colleague.get().loginId(), methods)));
        return "bizweb/certificate-confirm";
    }

    @PostMapping("/bizweb/certificate/company/execute")
    String execute(@AuthenticationPrincipal PortalAccount user, @RequestParam("action") String action,
                   @RequestParam(name = "transactionToken", required = false) String formToken,
                   @RequestParam(name = "otp", required = false) String otp, HttpServletRequest request, Model model) {
        offered();
        master(user);
        if (otp == null || !otp.matches("[0-9]{6,8}")) {
            model.addAttribute("otpError", "error.otpFormat");
            return reconfirm(action, formToken, model);
        }
        String address = ClientAddresses.of(request);
        Execution<?, Boolean> execution = "revoke".equals(action)
                ? work.revoke(user, address, formToken, otp)
                : work.setMethods(user, address, formToken, otp);
        if (execution instanceof Execution.Done<?, Boolean>) {
            return "redirect:/bizweb/certificate?done=" + ("revoke".equals(action) ? "revoked" : "methods");
        }
        if (execution instanceof Execution.WrongCode<?, Boolean> wrong) {
            OtpError error = OtpError.of(wrong);
            model.addAttribute("otpError", error.messageKey() + (error.attemptsLeft() >= 0 ? "AttemptsLeft" : ""));
            model.addAttribute("attemptsLeft", error.attemptsLeft());
            return reconfirm(action, wrong.formToken(), model);
        }
        return "redirect:/bizweb/certificate?done=stale";
    }

    private String reconfirm(String action, String formToken, Model model) {
        model.addAttribute("action", "revoke".equals(action) ? "revoke" : "methods");
        model.addAttribute("transactionToken", formToken);
        model.addAttribute("retry", true);
        return "bizweb/certificate-confirm";
    }

    private static void master(PortalAccount user) {
        if (user.role() != PortalAccount.Role.MASTER) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN);
        }
    }

    /** Why 電子証明書ログイン was refused, and what to do. */
    @GetMapping("/bizweb/certificate/refused")
    String refused(@RequestParam(name = "reason", required = false) String reason, Model model) {
        CertificateLogin.Refusal refusal;
        try {
            refusal = CertificateLogin.Refusal.valueOf(reason == null ? "" : reason);
        } catch (IllegalArgumentException e) {
            refusal = CertificateLogin.Refusal.NONE_PRESENTED;
        }
        model.addAttribute("reason", refusal.name());
        return "bizweb/certificate-refused";
    }
}
