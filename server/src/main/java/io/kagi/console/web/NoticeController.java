package io.kagi.console.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.Notice;
import io.kagi.bizweb.CustomerAdministration.NoticeDraft;
import io.kagi.platform.BankTime;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

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
 * お知らせ: CNTC001 (every notice with where it stands), CNTC002 (write one: title, body, shown
 * from and until, in Japan time; from empty means now), CNTC003 (confirm publishing with a fresh
 * OTP) and CNTC004 (confirm withdrawing with a fresh OTP).
 */
@Controller
class NoticeController {

    private static final String PUBLISH = "notice-publish";
    private static final String WITHDRAW = "notice-withdraw";

    private final CustomerAdministration customers;
    private final ConsoleConfirmations confirmations;
    private final Clock clock;
    private final BankTime bankTime;
    private final ZoneId zone;

    NoticeController(CustomerAdministration customers, ConsoleConfirmations confirmations, Clock clock, BankTime bankTime) {
        this.customers = customers;
        this.confirmations = confirmations;
        this.clock = clock;
        this.bankTime = bankTime;
        this.zone = bankTime.zone();
    }

    /** The notice form as typed; times as {@code yyyy-MM-ddTHH:mm} in the bank's time zone. */
    record NoticeForm(String title, String body, String publishFrom, String publishUntil) {
        NoticeForm {
            title = title == null ? "" : title.strip();
            body = body == null ? "" : body.strip().replace("\r\n", "\n");
            publishFrom = publishFrom == null ? "" : publishFrom.strip();
            publishUntil = publishUntil == null ? "" : publishUntil.strip();
        }

        Map<String, String> errors(ZoneId zone) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (title.isEmpty()) {
                errors.put("title", "console.error.required");
            } else if (title.length() > 200) {
                errors.put("title", "console.error.tooLong200");
            }
            if (body.isEmpty()) {
                errors.put("body", "console.error.required");
            } else if (body.length() > 4000) {
                errors.put("body", "console.error.tooLong4000");
            }
            Instant from = parse(publishFrom, zone);
            Instant until = parse(publishUntil, zone);
            if (!publishFrom.isEmpty() && from == null) {
                errors.put("publishFrom", "console.error.dateTime");
            }
            if (!publishUntil.isEmpty() && until == null) {
                errors.put("publishUntil", "console.error.dateTime");
            } else if (until != null && from != null && !until.isAfter(from)) {
                errors.put("publishUntil", "console.error.untilBeforeFrom");
            }
            return errors;
        }

        NoticeDraft toDraft(Instant now, ZoneId zone) {
            Instant from = publishFrom.isEmpty() ? now : parse(publishFrom, zone);
            Instant until = parse(publishUntil, zone);
            if (until != null && !until.isAfter(from)) {
                throw new IllegalArgumentException("A notice ends after it starts");
            }
            return new NoticeDraft(title, body, from, until);
        }

        static Instant parse(String text, ZoneId zone) {
            if (text == null || text.isEmpty()) {
                return null;
            }
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    @GetMapping("/console/notices")
    String list(Model model) {
        model.addAttribute("notices", customers.notices(200));
        return "console/notices";
    }

    @GetMapping("/console/notices/new")
    String form(Model model) {
        model.addAttribute("form", new NoticeForm("", "", "", ""));
        model.addAttribute("errors", Map.of());
        return "console/notice-new";
    }

    @PostMapping("/console/notices/confirm")
    String confirm(@ModelAttribute("form") NoticeForm form, HttpSession session, Model model) {
        Map<String, String> errors = form.errors(zone);
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/notice-new";
        }
        return showPublishConfirm(form, session, model, null);
    }

    @PostMapping("/console/notices/publish")
    String publish(@AuthenticationPrincipal OperatorAccount operator, @ModelAttribute("form") NoticeForm form,
                   @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                   HttpServletRequest request, HttpSession session, Model model, RedirectAttributes redirect) {
        String address = ClientAddress.of(request);
        ConsoleConfirmations.Check check = confirmations.check(operator, session, PUBLISH, transactionToken, otp, address);
        if (check instanceof ConsoleConfirmations.Check.DoubleSubmit) {
            redirect.addFlashAttribute("flashError", "console.error.doubleSubmit");
            return "redirect:/console/notices";
        }
        if (check instanceof ConsoleConfirmations.Check.CodeRefused refused) {
            return showPublishConfirm(form, session, model, refused.messageKey());
        }
        Map<String, String> errors = form.errors(zone);
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/notice-new";
        }
        customers.publishNotice(form.toDraft(clock.instant().truncatedTo(ChronoUnit.SECONDS), zone), operator.actor(), address);
        redirect.addFlashAttribute("flashNotice", "console.notice.published");
        return "redirect:/console/notices";
    }

    @GetMapping("/console/notices/{id}/withdraw")
    String withdrawConfirmation(@PathVariable long id, HttpSession session, Model model) {
        return showWithdrawConfirm(notice(id), session, model, null);
    }

    @PostMapping("/console/notices/{id}/withdraw")
    String withdraw(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                    @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                    HttpServletRequest request, HttpSession session, Model model, RedirectAttributes redirect) {
        Notice notice = notice(id);
        String address = ClientAddress.of(request);
        ConsoleConfirmations.Check check = confirmations.check(operator, session, WITHDRAW, transactionToken, otp, address);
        if (check instanceof ConsoleConfirmations.Check.DoubleSubmit) {
            redirect.addFlashAttribute("flashError", "console.error.doubleSubmit");
            return "redirect:/console/notices";
        }
        if (check instanceof ConsoleConfirmations.Check.CodeRefused refused) {
            return showWithdrawConfirm(notice, session, model, refused.messageKey());
        }
        boolean withdrawn = customers.withdrawNotice(id, operator.actor(), address);
        redirect.addFlashAttribute(withdrawn ? "flashNotice" : "flashError",
                withdrawn ? "console.notice.withdrawn" : "console.notice.alreadyWithdrawn");
        return "redirect:/console/notices";
    }

    private Notice notice(long id) {
        return customers.notice(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showPublishConfirm(NoticeForm form, HttpSession session, Model model, String otpError) {
        Map<String, String> hidden = new LinkedHashMap<>();
        hidden.put("title", form.title());
        hidden.put("body", form.body());
        hidden.put("publishFrom", form.publishFrom());
        hidden.put("publishUntil", form.publishUntil());
        model.addAttribute("page", new ConfirmPage("CNTC003", "console.notice.confirm.title", "console.notice.confirm.lead",
                List.of(ConfirmPage.Row.text("console.notice.titleField", form.title()),
                        ConfirmPage.Row.text("console.notice.body", form.body()),
                        form.publishFrom().isEmpty() ? ConfirmPage.Row.message("console.notice.from", "console.notice.fromNow")
                                : ConfirmPage.Row.text("console.notice.from", form.publishFrom().replace('T', ' ')),
                        form.publishUntil().isEmpty() ? ConfirmPage.Row.message("console.notice.until", "console.notice.untilOpen")
                                : ConfirmPage.Row.text("console.notice.until", form.publishUntil().replace('T', ' '))),
                "/console/notices/publish", hidden, "/console/notices/new"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", confirmations.issue(session, PUBLISH));
        return "console/confirm";
    }

    private String showWithdrawConfirm(Notice notice, HttpSession session, Model model, String otpError) {
        model.addAttribute("page", new ConfirmPage("CNTC004", "console.notice.withdraw.title", "console.notice.withdraw.lead",
                List.of(ConfirmPage.Row.text("console.notice.titleField", notice.title()),
                        ConfirmPage.Row.text("console.notice.body", notice.body()),
                        ConfirmPage.Row.text("console.notice.from", bankTime.seconds(notice.publishFrom())),
                        ConfirmPage.Row.message("console.notice.state", "console.notice.state." + notice.state())),
                "/console/notices/" + notice.id() + "/withdraw", Map.of(), "/console/notices"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", confirmations.issue(session, WITHDRAW));
        return "console/confirm";
    }
}
