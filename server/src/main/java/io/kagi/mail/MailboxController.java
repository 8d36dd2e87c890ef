package io.kagi.mail;

import io.kagi.platform.BankProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

import static org.springframework.http.HttpStatus.NOT_FOUND;

/**
 * The local mailbox (embedded default, {@code kagi.mail.capture}): every mail Kagi would have sent,
 * as a list (MBOX001) and one by one (MBOX002). Absent in production.
 */
@Controller
@ConditionalOnBooleanProperty("kagi.mail.capture")
class MailboxController {

    static final int LIST_SIZE = 200;

    private final Mailbox mailbox;
    private final MailSettings settings;
    private final BankProperties bank;

    MailboxController(Mailbox mailbox, MailSettings settings, BankProperties bank) {
        this.mailbox = mailbox;
        this.settings = settings;
        this.bank = bank;
    }

    @GetMapping("/mailbox")
    String list(Model model) {
        model.addAttribute("mails", mailbox.latest(LIST_SIZE));
        model.addAttribute("zone", settings.timeZone());
        return "mail/mailbox";
    }

    @GetMapping("/mailbox/{id}")
    String show(@PathVariable long id, Model model) {
        model.addAttribute("captured", mailbox.find(id).orElseThrow(() -> new ResponseStatusException(NOT_FOUND)));
        model.addAttribute("from", bank.name() + " <" + settings.from() + ">");
        model.addAttribute("zone", settings.timeZone());
        return "mail/message";
    }
}
