package io.kagi.bizweb.login;

import io.kagi.bizweb.portal.ClientAddresses;
import io.kagi.bizweb.portal.LoginOutcomes;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalFactors;
import io.kagi.bizweb.portal.OtpError;
import io.kagi.bizweb.portal.PortalTokens;
import io.kagi.bizweb.portal.TransactionTokens;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.authority.TokenStatus;
import io.kagi.authority.VerificationResult;
import io.kagi.bizweb.tokens.TokenForms.OtpForm;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * BLGI010, the one-time password after the login password (when the service's policy asks for
 * it, or when a page needs the OTP factor), and BLGI011, which tells a user whose token is locked
 * who can unlock it — shown only to a user whose password was right.
 */
@Controller
class OtpLoginController {

    private static final String STEP = "otp-login";

    private final PortalTokens tokens;
    private final PortalFactors factors;
    private final TransactionTokens transactionTokens;
    private final LoginOutcomes outcomes;
    private final AuditLog audit;
    private final RequestCache requestCache = new HttpSessionRequestCache();

    OtpLoginController(PortalTokens tokens, PortalFactors factors, TransactionTokens transactionTokens,
                       LoginOutcomes outcomes, AuditLog audit) {
        this.tokens = tokens;
        this.factors = factors;
        this.transactionTokens = transactionTokens;
        this.outcomes = outcomes;
        this.audit = audit;
    }

    @GetMapping("/bizweb/otp")
    String otp(@AuthenticationPrincipal PortalAccount user, Authentication authentication, HttpSession session, Model model) {
        String elsewhere = whereInstead(tokens.status(user), authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        model.addAttribute("form", OtpForm.empty());
        model.addAttribute("transactionToken", transactionTokens.issue(session, STEP));
        model.addAttribute("neverConfirmed", tokens.status(user).filter(tokens::activatedButNeverConfirmed).isPresent());
        return "bizweb/otp";
    }

    @PostMapping("/bizweb/otp")
    String verify(@AuthenticationPrincipal PortalAccount user, Authentication authentication,
                  @ModelAttribute("form") OtpForm form, BindingResult errors, HttpServletRequest request,
                  HttpServletResponse response, HttpSession session, Model model) {
        Optional<TokenStatus> status = tokens.status(user);
        String elsewhere = whereInstead(status, authentication);
        if (elsewhere != null) {
            return elsewhere;
        }
        String address = ClientAddresses.of(request);
        if (!transactionTokens.consume(session, STEP, form.transactionToken())) {
            audit.record(AuditEvent.of("DOUBLE_SUBMIT_REFUSED", user.loginId()).company(user.companyId())
                    .subject("user:" + user.loginId()).from(address).detail("step", STEP));
            return "redirect:/bizweb/otp";
        }
        form.validate(errors);
        if (!errors.hasErrors()) {
            String subject = status.map(OtpLoginController::subjectOf).orElse("user:" + user.loginId());
            VerificationResult result = tokens.verify(user, form.otp(), address);
            if (result instanceof VerificationResult.Accepted) {
                SavedRequest saved = requestCache.getRequest(request, response);
                requestCache.removeRequest(request, response);
                factors.grantOtpFactor(request, response);
                audit.record(AuditEvent.of("LOGIN_OTP_ACCEPTED", user.loginId()).company(user.companyId())
                        .subject(subject).from(address).detail("factor", "otp"));
                return "redirect:" + continueTo(saved, request);
            }
            if (result instanceof VerificationResult.Rejected rejected) {
                audit.record(AuditEvent.of("OTP_REJECTED", user.loginId()).company(user.companyId())
                        .subject(subject).from(address).detail("screen", "BLGI010")
                        .detail("attemptsLeft", String.valueOf(rejected.attemptsLeft())));
                OtpError.wrong(rejected.attemptsLeft()).rejectOn(errors);
            } else if (result instanceof VerificationResult.AlreadyUsed used) {
                OtpError.alreadyUsed(used.attemptsLeft()).rejectOn(errors);
            } else if (result instanceof VerificationResult.Locked) {
                audit.record(AuditEvent.of("OTP_LOCKED", user.loginId()).company(user.companyId())
                        .subject(subject).from(address).detail("screen", "BLGI010"));
                return "redirect:/bizweb/otp/locked";
            } else {
                return "redirect:" + outcomes.nextAfterPassword(tokens.situation(user));
            }
        }
        model.addAttribute("transactionToken", transactionTokens.issue(session, STEP));
        model.addAttribute("neverConfirmed", tokens.status(user).filter(tokens::activatedButNeverConfirmed).isPresent());
        return "bizweb/otp";
    }

    @GetMapping("/bizweb/otp/locked")
    String locked(@AuthenticationPrincipal PortalAccount user, Model model) {
        if (tokens.situation(user) != PortalTokens.Situation.LOCKED) {
            return "redirect:/bizweb/otp";
        }
        model.addAttribute("master", user.role() == PortalAccount.Role.MASTER);
        return "bizweb/otp-locked";
    }

    /** Where a user whose token stands so goes instead of BLGI010, or null when the OTP is the next step. */
    private String whereInstead(Optional<TokenStatus> status, Authentication authentication) {
        PortalTokens.Situation situation = status.map(tokens::situation).orElse(PortalTokens.Situation.NONE);
        if (situation == PortalTokens.Situation.LOCKED) {
            return "redirect:/bizweb/otp/locked";
        }
        if (situation != PortalTokens.Situation.ACTIVE) {
            return "redirect:" + outcomes.nextAfterPassword(situation);
        }
        return PortalFactors.hasOtpFactor(authentication) ? "redirect:/bizweb/top" : null;
    }

    private static String continueTo(SavedRequest saved, HttpServletRequest request) {
        if (saved != null) {
            String path = java.net.URI.create(saved.getRedirectUrl()).getRawPath();
            String prefix = request.getContextPath() + "/bizweb/";
            if (path != null && path.startsWith(prefix) && !path.startsWith(prefix + "otp")) {
                return path.substring(request.getContextPath().length());
            }
        }
        return "/bizweb/top";
    }

    private static String subjectOf(TokenStatus status) {
        return "token:" + status.serviceId() + "/" + status.userId();
    }
}
