package io.kagi.console.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongPredicate;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.Notice;
import io.kagi.confirmation.Execution;
import io.kagi.console.PortalNotices;
import io.kagi.console.OperatorAccount;
import io.kagi.console.PendingChanges;
import io.kagi.platform.BankTime;

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
 * お知らせ: CNTC001 (every notice with whom it is for and where it stands), CNTC002 (write one: title,
 * body, optionally an English title and body and the 企業ID of the only company to see it, shown from and
 * until, in Japan time; from empty means from its approval), CNTC003 (confirm publishing
 * with a fresh OTP: the notice then waits for a supervisor's approval on 承認待ち) and CNTC004
 * (confirm withdrawing with a fresh OTP).
 */
@Controller
class NoticeController {

    private final CustomerAdministration customers;
    private final PortalNotices notices;
    private final Clock clock;
    private final BankTime bankTime;

    NoticeController(CustomerAdministration customers, PortalNotices notices, Clock clock, BankTime bankTime) {
        this.customers = customers;
        this.notices = notices;
        this.clock = clock;
        this.bankTime = bankTime;
    }

    /**
     * The notice form as typed; times as {@code yyyy-MM-ddTHH:mm} in the bank's time zone; the English
     * title and body both or neither; {@code companyId} the 企業ID of the only company to see it, empty for
     * every company.
     */
    record NoticeForm(String title, String body, String titleEn, String bodyEn, String companyId, String publishFrom,
                      String publishUntil) {
        NoticeForm {
            title = title == null ? "" : title.strip();
            body = body == null ? "" : body.strip().replace("\r\n", "\n");
            titleEn = titleEn == null ? "" : titleEn.strip();
            bodyEn = bodyEn == null ? "" : bodyEn.strip().replace("\r\n", "\n");
            companyId = companyId == null ? "" : companyId.strip();
            publishFrom = publishFrom == null ? "" : publishFrom.strip();
            publishUntil = publishUntil == null ? "" : publishUntil.strip();
        }

        static NoticeForm empty() {
            return new NoticeForm("", "", "", "", "", "", "");
        }

        /** Field errors of the form as typed at {@code now}; {@code companyExists} says whether a 企業ID names a company. */
        Map<String, String> errors(Instant now, ZoneId zone, LongPredicate companyExists) {
            Map<String, String> errors = new LinkedHashMap<>();
            text(errors, "title", title, 200, true);
            text(errors, "body", body, 4000, true);
            boolean english = !titleEn.isEmpty() || !bodyEn.isEmpty();
            text(errors, "titleEn", titleEn, 200, english);
            text(errors, "bodyEn", bodyEn, 4000, english);
            if (!companyId.isEmpty()) {
                Long company = company();
                if (company == null) {
                    errors.put("companyId", "console.user.search.companyIdFormat");
                } else if (!companyExists.test(company)) {
                    errors.put("companyId", "console.notice.error.noSuchCompany");
                }
            }
            Instant from = parse(publishFrom, zone);
            Instant until = parse(publishUntil, zone);
            if (!publishFrom.isEmpty() && from == null) {
                errors.put("publishFrom", "console.error.dateTime");
            }
            if (!publishUntil.isEmpty() && until == null) {
                errors.put("publishUntil", "console.error.dateTime");
            } else if (until != null && !until.isAfter(from == null ? now : from)) {
                errors.put("publishUntil", "console.error.untilBeforeFrom");
            }
            return errors;
        }

        private static void text(Map<String, String> errors, String field, String value, int longest, boolean required) {
            if (required && value.isEmpty()) {
                errors.put(field, "console.error.required");
            } else if (value.length() > longest) {
                errors.put(field, "console.error.tooLong" + longest);
            }
        }

        /** The 企業ID as digits (up to 18), or null. */
        private Long company() {
            return companyId.matches("[0-9]{1,18}") ? Long.valueOf(companyId) : null;
        }

        /** The notice to confirm (the form has no errors); from empty: from the moment it is published. */
        PortalNotices.Publication toPublication(ZoneId zone) {
            return new PortalNotices.Publication(title, body, titleEn.isEmpty() ? null : titleEn,
                    bodyEn.isEmpty() ? null : bodyEn, companyId.isEmpty() ? null : company(),
                    parse(publishFrom, zone), parse(publishUntil, zone));
        }

        static NoticeForm of(PortalNotices.Publication publication, ZoneId zone) {
            return new NoticeForm(publication.title(), publication.body(), Objects.toString(publication.titleEn(), ""),
                    Objects.toString(publication.bodyEn(), ""), Objects.toString(publication.companyId(), ""),
                    typed(publication.publishFrom(), zone), typed(publication.publishUntil(), zone));
        }

        private static String typed(Instant instant, ZoneId zone) {
            return instant == null ? "" : LocalDateTime.ofInstant(instant, zone).toString();
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
        model.addAttribute("form", NoticeForm.empty());
        model.addAttribute("errors", Map.of());
        return "console/notice-new";
    }

    @PostMapping("/console/notices/confirm")
    String confirm(@AuthenticationPrincipal OperatorAccount operator, @ModelAttribute("form") NoticeForm form,
                   HttpServletRequest request, Model model) {
        Map<String, String> errors = form.errors(clock.instant(), bankTime.zone(),
                company -> customers.company(company).isPresent());
        if (!errors.isEmpty()) {
            model.addAttribute("errors", errors);
            return "console/notice-new";
        }
        PortalNotices.Publication publication = form.toPublication(bankTime.zone());
        return showPublishConfirm(publication, notices.holdPublication(operator, ClientAddress.of(request), publication),
                null, model);
    }

    @PostMapping("/console/notices/publish")
    String publish(@AuthenticationPrincipal OperatorAccount operator, @RequestParam(required = false) String otp,
                   @RequestParam(required = false) String transactionToken, HttpServletRequest request, Model model,
                   RedirectAttributes redirect) {
        Execution<PortalNotices.Publication, PortalNotices.Published> execution =
                notices.publish(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/notices", redirect, done -> {
                if (done.result() instanceof PortalNotices.Published.Waiting) {
                    // Waiting for a supervisor's approval: nothing is shown to customers yet.
                    redirect.addFlashAttribute("flashNotice", "console.pending.proposed");
                    return "redirect:/console/approvals";
                }
                // PortalNotices.Published.EndPassed: its end passed while the confirm screen was open; nothing was recorded.
                model.addAttribute("form", NoticeForm.of(done.operation(), bankTime.zone()));
                model.addAttribute("errors", Map.of("publishUntil", "console.error.untilBeforeFrom"));
                return "console/notice-new";
        }, wrong -> showPublishConfirm(wrong.operation(), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    @GetMapping("/console/notices/{id}/withdraw")
    String withdrawConfirmation(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                                HttpServletRequest request, Model model) {
        Notice notice = notice(id);
        return showWithdrawConfirm(notice, notices.holdWithdrawal(operator, ClientAddress.of(request), notice.id()),
                null, model);
    }

    /** Withdraws the notice confirmed under the form token (the ID in the path only names the page). */
    @PostMapping("/console/notices/{id}/withdraw")
    String withdraw(@AuthenticationPrincipal OperatorAccount operator, @PathVariable long id,
                    @RequestParam(required = false) String otp, @RequestParam(required = false) String transactionToken,
                    HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Execution<PortalNotices.Withdrawal, Boolean> execution =
                notices.withdraw(operator, ClientAddress.of(request), transactionToken, otp);
        return ConsoleAnswers.answer(execution, "/console/notices", redirect, done -> {
                boolean withdrawn = done.result();
                redirect.addFlashAttribute(withdrawn ? "flashNotice" : "flashError",
                        withdrawn ? "console.notice.withdrawn" : "console.notice.alreadyWithdrawn");
                return "redirect:/console/notices";
        }, wrong -> showWithdrawConfirm(notice(wrong.operation().noticeId()), wrong.formToken(), ConsoleAnswers.message(wrong), model));
    }

    private Notice notice(long id) {
        return customers.notice(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    private String showPublishConfirm(PortalNotices.Publication publication, String formToken, String otpError, Model model) {
        model.addAttribute("page", new ConfirmPage("CNTC003", "console.notice.confirm.title", "console.notice.confirm.lead",
                notices.facts(publication).stream().map(NoticeController::row).toList(),
                "/console/notices/publish", "/console/notices/new"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }

    private static ConfirmPage.Row row(PendingChanges.Fact fact) {
        return new ConfirmPage.Row(fact.labelKey(), fact.value(), fact.translated());
    }

    private String showWithdrawConfirm(Notice notice, String formToken, String otpError, Model model) {
        model.addAttribute("page", new ConfirmPage("CNTC004", "console.notice.withdraw.title", "console.notice.withdraw.lead",
                List.of(row(notices.audience(notice.companyId())),
                        ConfirmPage.Row.text("console.notice.titleField", notice.title()),
                        ConfirmPage.Row.text("console.notice.body", notice.body()),
                        ConfirmPage.Row.text("console.notice.from", bankTime.seconds(notice.publishFrom())),
                        ConfirmPage.Row.message("console.notice.state", "console.notice.state." + notice.state())),
                "/console/notices/" + notice.id() + "/withdraw", "/console/notices"));
        model.addAttribute("otpError", otpError);
        model.addAttribute("transactionToken", formToken);
        return "console/confirm";
    }
}
