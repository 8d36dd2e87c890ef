package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.NoticeDraft;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * お知らせ (CNTC): publishing and withdrawing the notices of the portal's top page, each after a
 * confirm screen and a fresh OTP. The notice, its audit row ({@code NOTICE_PUBLISHED},
 * {@code NOTICE_WITHDRAWN}) and the use of the form and the code commit together or not at all.
 */
@Service
public class PortalNotices {

    static final String PUBLISH = "notice-publish";
    static final String WITHDRAW = "notice-withdraw";

    private final CustomerAdministration customers;
    private final OperatorConfirmations confirmations;
    private final Clock clock;

    PortalNotices(CustomerAdministration customers, OperatorConfirmations confirmations, Clock clock) {
        this.customers = customers;
        this.confirmations = confirmations;
        this.clock = clock;
    }

    /**
     * A notice as confirmed.
     *
     * @param publishFrom  when it is shown from; null: from the moment it is published
     * @param publishUntil until when; null: open-ended
     */
    public record Publication(String title, String body, Instant publishFrom, Instant publishUntil) {
    }

    /** What publishing gave. */
    public sealed interface Published {

        /** Published (or scheduled) as notice {@code id}. */
        record Notice(long id) implements Published {
        }

        /** Its end passed between the confirm screen and now: nothing was published. */
        record EndPassed() implements Published {
        }
    }

    /** The notice a withdrawal confirms. */
    public record Withdrawal(long noticeId) {
    }

    public String holdPublication(OperatorAccount operator, String address, Publication publication) {
        return confirmations.hold(operator, address, PUBLISH, publication);
    }

    @Transactional
    public Execution<Publication, Published> publish(OperatorAccount operator, String address, String formToken,
                                                     String code) {
        return confirmations.carryOut(operator, address, PUBLISH, formToken, code, Publication.class, publication -> {
            Instant from = publication.publishFrom() == null
                    ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : publication.publishFrom();
            if (publication.publishUntil() != null && !publication.publishUntil().isAfter(from)) {
                return new Published.EndPassed();
            }
            NoticeDraft draft = new NoticeDraft(publication.title(), publication.body(), from, publication.publishUntil());
            return new Published.Notice(customers.publishNotice(draft, operator.actor(), address));
        });
    }

    public String holdWithdrawal(OperatorAccount operator, String address, long noticeId) {
        return confirmations.hold(operator, address, WITHDRAW, new Withdrawal(noticeId));
    }

    /** Withdraws the confirmed notice; the result is false when it had been withdrawn meanwhile. */
    @Transactional
    public Execution<Withdrawal, Boolean> withdraw(OperatorAccount operator, String address, String formToken,
                                                   String code) {
        return confirmations.carryOut(operator, address, WITHDRAW, formToken, code, Withdrawal.class,
                withdrawal -> customers.withdrawNotice(withdrawal.noticeId(), operator.actor(), address));
    }
}
