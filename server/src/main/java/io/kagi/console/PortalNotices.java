package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.time.Instant;
import java.util.List;

import io.kagi.bizweb.CustomerAdministration;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * お知らせ (CNTC): publishing and withdrawing the notices of the portal's top page, each after a
 * confirm screen and a fresh OTP. Publishing is under dual control: the confirmed notice waits
 * ({@code CHANGE_PROPOSED}) until a supervisor approves it ({@link NoticePublication}). The change,
 * its audit row ({@code CHANGE_PROPOSED}, {@code NOTICE_WITHDRAWN}) and the use of the form and the
 * code commit together or not at all.
 */
@Service
public class PortalNotices {

    static final String PUBLISH = "notice-publish";
    static final String WITHDRAW = "notice-withdraw";

    private final CustomerAdministration customers;
    private final OperatorConfirmations confirmations;
    private final PendingChanges pending;
    private final NoticePublication publication;

    PortalNotices(CustomerAdministration customers, OperatorConfirmations confirmations, PendingChanges pending,
                  NoticePublication publication) {
        this.customers = customers;
        this.confirmations = confirmations;
        this.pending = pending;
        this.publication = publication;
    }

    /**
     * A notice as confirmed.
     *
     * @param titleEn      the English title for users whose language is English; null with {@code bodyEn}
     *                     when none was written (they then see the Japanese text)
     * @param companyId    the only company whose users see it; null: every company
     * @param publishFrom  when it is shown from; null: from the moment it is approved
     * @param publishUntil until when; null: open-ended
     */
    public record Publication(String title, String body, String titleEn, String bodyEn, Long companyId,
                              Instant publishFrom, Instant publishUntil) {
    }

    /** What publishing gave. */
    public sealed interface Published {

        /** Waiting for a supervisor's approval as change {@code changeId}. */
        record Waiting(long changeId) implements Published {
        }

        /** Its end passed between the confirm screen and now: nothing was recorded. */
        record EndPassed() implements Published {
        }
    }

    /** The notice a withdrawal confirms. */
    public record Withdrawal(long noticeId) {
    }

    /** The facts of a notice as its confirm screen and its waiting change show them. */
    public List<PendingChanges.Fact> facts(Publication confirmed) {
        return publication.facts(confirmed);
    }

    /** Whom a stored notice is for: every company, or one by its name and 企業ID. */
    public PendingChanges.Fact audience(Long companyId) {
        return NoticePublication.audience(customers, companyId);
    }

    public String holdPublication(OperatorAccount operator, String address, Publication publication) {
        return confirmations.hold(operator, address, PUBLISH, publication);
    }

    /** Records the confirmed notice as waiting for a supervisor's approval; nothing is shown to customers yet. */
    @Transactional
    public Execution<Publication, Published> publish(OperatorAccount operator, String address, String formToken,
                                                     String code) {
        return confirmations.carryOut(operator, address, PUBLISH, formToken, code, Publication.class, confirmed -> {
            if (publication.endPassed(confirmed)) {
                return new Published.EndPassed();
            }
            return new Published.Waiting(pending.propose(publication, confirmed, operator, address).changeId());
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
