package io.kagi.console.web;

import io.kagi.mail.MailStatus;
import io.kagi.mail.OutboxAdministration;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** CTOP001: the console's menu, with the count of failed mails. */
@Controller
class ConsoleTopController {

    private final OutboxAdministration outbox;

    ConsoleTopController(OutboxAdministration outbox) {
        this.outbox = outbox;
    }

    @GetMapping({"/console", "/console/"})
    String top(Model model) {
        model.addAttribute("failedMails", outbox.countByStatus().get(MailStatus.FAILED));
        return "console/top";
    }
}
