package io.kagi.mail;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

import static org.springframework.http.HttpStatus.NOT_FOUND;

/**
 * The local mailbox (embedded default, {@code kagi.mail.capture}): every mail Kagi would have sent,
 * as a list and one by one. Absent in production.
 */
@Controller
@ConditionalOnBooleanProperty("kagi.mail.capture")
class MailboxController {

    private final Mailbox mailbox;

    MailboxController(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @GetMapping("/mailbox")
    String list(Model model) {
        model.addAttribute("mails", mailbox.latest(200));
        return "mail/mailbox";
    }

    @GetMapping("/mailbox/{id}")
    String show(@PathVariable long id, Model model) {
        model.addAttribute("mail", mailbox.find(id).orElseThrow(() -> new ResponseStatusException(NOT_FOUND)));
        return "mail/message";
    }
}
