package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kagi.mail.MailStatus;
import io.kagi.mail.OutboxAdministration;
import io.kagi.mail.OutboxMail;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The mail outbox (CMAL): the mails given up, and putting one back in line after a confirm screen
 * and a fresh OTP. The retry, its audit row ({@code MAIL_RETRY_REQUESTED}) and the use of the form
 * and the code commit together or not at all.
 */
@Service
public class MailRetries {

    static final String RETRY = "mail-retry";

    private final OutboxAdministration outbox;
    private final OperatorConfirmations confirmations;

    MailRetries(OutboxAdministration outbox, OperatorConfirmations confirmations) {
        this.outbox = outbox;
        this.confirmations = confirmations;
    }

    /** The mail a retry confirms. */
    public record Retry(long mailId) {
    }

    public List<OutboxMail> failed(int limit) {
        return outbox.failed(limit);
    }

    public Map<MailStatus, Long> countByStatus() {
        return outbox.countByStatus();
    }

    public Optional<OutboxMail> mail(long id) {
        return outbox.find(id);
    }

    public String holdRetry(OperatorAccount operator, String address, long mailId) {
        return confirmations.hold(operator, address, RETRY, new Retry(mailId));
    }

    /** Puts the confirmed mail back in line; the result is false when it was no longer a failed one. */
    @Transactional
    public Execution<Retry, Boolean> retry(OperatorAccount operator, String address, String formToken, String code) {
        return confirmations.carryOut(operator, address, RETRY, formToken, code, Retry.class,
                retry -> outbox.retry(retry.mailId(), operator.actor()));
    }
}
