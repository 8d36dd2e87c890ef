package io.kagi.console.web;

import java.time.Instant;

import io.kagi.audit.AuditTrail;
import io.kagi.platform.BankTime;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * CAUD001: the audit log, newest first, 50 a page, filtered by company, user or actor (a login ID,
 * {@code operator:…}), type and a time range in Japan time. The log holds no secret; the page shows
 * what it holds.
 */
@Controller
class AuditController {

    static final int PAGE_SIZE = 50;

    private final AuditTrail trail;
    private final BankTime bankTime;

    AuditController(AuditTrail trail, BankTime bankTime) {
        this.trail = trail;
        this.bankTime = bankTime;
    }

    @GetMapping("/console/audit")
    String audit(@RequestParam(defaultValue = "") String companyId, @RequestParam(defaultValue = "") String person,
                 @RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String from,
                 @RequestParam(defaultValue = "") String until, @RequestParam(defaultValue = "0") int page, Model model) {
        Long company = companyId.strip().matches("[0-9]{1,18}") ? Long.valueOf(companyId.strip()) : null;
        Instant start = NoticeController.NoticeForm.parse(from.strip(), bankTime.zone());
        Instant end = NoticeController.NoticeForm.parse(until.strip(), bankTime.zone());
        model.addAttribute("companyId", companyId);
        model.addAttribute("person", person);
        model.addAttribute("type", type);
        model.addAttribute("from", from);
        model.addAttribute("until", until);
        model.addAttribute("types", trail.types());
        model.addAttribute("result", trail.search(new AuditTrail.Filter(company, person, type, start, end),
                Math.max(0, page), PAGE_SIZE));
        return "console/audit";
    }
}
