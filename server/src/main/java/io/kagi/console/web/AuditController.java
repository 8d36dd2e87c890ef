package io.kagi.console.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.kagi.audit.AuditTrail;
import io.kagi.platform.BankTime;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * CAUD001: the audit log, newest first, 50 a page, filtered by company, user or actor (a login ID,
 * {@code operator:…}), type and a time range in Japan time; each event type in words
 * ({@link AuditWords}), times in the bank's time zone. {@code /console/audit.csv} exports what the
 * current filter finds (at most {@value #CSV_LIMIT} rows, newest first) as CSV for Excel: UTF-8 with a
 * byte order mark, CRLF, every field quoted as RFC 4180 says, a cell that a spreadsheet would read as
 * a formula ({@code = + - @}) prefixed with {@code '}. The log holds no secret; the page shows what it
 * holds.
 */
@Controller
class AuditController {

    static final int PAGE_SIZE = 50;
    static final int CSV_LIMIT = 100_000;
    private static final int CSV_PAGE = 1000;

    private final AuditTrail trail;
    private final BankTime bankTime;
    private final AuditWords words;
    private final MessageSource messages;
    private final Clock clock;

    AuditController(AuditTrail trail, BankTime bankTime, AuditWords words, MessageSource messages, Clock clock) {
        this.messages = messages;
        this.clock = clock;
        this.trail = trail;
        this.bankTime = bankTime;
        this.words = words;
    }

    @GetMapping("/console/audit")
    String audit(@RequestParam(defaultValue = "") String companyId, @RequestParam(defaultValue = "") String person,
                 @RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String from,
                 @RequestParam(defaultValue = "") String until, @RequestParam(defaultValue = "0") int page, Model model) {
        AuditTrail.Filter filter = filter(companyId, person, type, from, until);
        model.addAttribute("companyId", companyId);
        model.addAttribute("person", person);
        model.addAttribute("type", type);
        model.addAttribute("from", from);
        model.addAttribute("until", until);
        model.addAttribute("types", trail.types());
        model.addAttribute("result", trail.search(filter, Math.max(0, page), PAGE_SIZE));
        return "console/audit";
    }

    @GetMapping(value = "/console/audit.csv")
    void csv(@RequestParam(defaultValue = "") String companyId, @RequestParam(defaultValue = "") String person,
             @RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String from,
             @RequestParam(defaultValue = "") String until, Locale locale, HttpServletResponse response)
            throws IOException {
        AuditTrail.Filter filter = filter(companyId, person, type, from, until);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("audit-" + bankTime.at(clock.instant()).toLocalDate() + ".csv").build().toString());
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write('\uFEFF');
        out.write(AuditCsv.row(List.of("console.audit.time", "console.audit.type", "console.audit.typeCode",
                "console.audit.actor", "console.user.companyId", "console.audit.subject", "console.audit.address",
                "console.audit.details").stream().map(key -> messages.getMessage(key, null, locale)).toList()));
        int written = 0;
        for (int number = 0; written < CSV_LIMIT; number++) {
            AuditTrail.Page page = trail.search(filter, number, CSV_PAGE);
            for (AuditTrail.Entry entry : page.entries()) {
                out.write(AuditCsv.row(Arrays.asList(bankTime.seconds(entry.occurredAt()), words.of(entry.type(), locale),
                        entry.type(), entry.actor(), entry.companyId() == null ? "" : entry.companyId().toString(),
                        entry.subject(), entry.clientAddress(), entry.details())));
                written++;
            }
            if (!page.hasNext()) {
                break;
            }
        }
        out.flush();
    }

    private AuditTrail.Filter filter(String companyId, String person, String type, String from, String until) {
        Long company = companyId.strip().matches("[0-9]{1,18}") ? Long.valueOf(companyId.strip()) : null;
        Instant start = NoticeController.NoticeForm.parse(from.strip(), bankTime.zone());
        Instant end = NoticeController.NoticeForm.parse(until.strip(), bankTime.zone());
        return new AuditTrail.Filter(company, person, type, start, end);
    }
}
