package io.kagi.console;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.NoticeDraft;
import io.kagi.console.PortalNotices.Publication;
import io.kagi.platform.BankTime;

import org.springframework.stereotype.Component;

/**
 * Publishing a portal notice under dual control: written and confirmed by an operator, shown to
 * customers only once a supervisor (another operator) approves it. The notice's audit row
 * ({@code NOTICE_PUBLISHED}) names the approver; {@code CHANGE_PROPOSED} before it names the maker.
 */
@Component
class NoticePublication implements ApprovalKind<Publication> {

    private final CustomerAdministration customers;
    private final Clock clock;
    private final BankTime bankTime;

    NoticePublication(CustomerAdministration customers, Clock clock, BankTime bankTime) {
        this.customers = customers;
        this.clock = clock;
        this.bankTime = bankTime;
    }

    @Override
    public String name() {
        return "notice-publish";
    }

    @Override
    public Class<Publication> operationType() {
        return Publication.class;
    }

    @Override
    public List<PendingChanges.Fact> facts(Publication publication) {
        return List.of(audience(customers, publication.companyId()),
                PendingChanges.Fact.text("console.notice.titleField", publication.title()),
                PendingChanges.Fact.text("console.notice.body", publication.body()),
                publication.titleEn() == null
                        ? PendingChanges.Fact.message("console.notice.titleEn", "console.notice.noEnglish")
                        : PendingChanges.Fact.text("console.notice.titleEn", publication.titleEn()),
                publication.bodyEn() == null
                        ? PendingChanges.Fact.message("console.notice.bodyEn", "console.notice.noEnglish")
                        : PendingChanges.Fact.text("console.notice.bodyEn", publication.bodyEn()),
                publication.publishFrom() == null
                        ? PendingChanges.Fact.message("console.notice.from", "console.notice.fromApproval")
                        : PendingChanges.Fact.text("console.notice.from", bankTime.minutes(publication.publishFrom())),
                publication.publishUntil() == null
                        ? PendingChanges.Fact.message("console.notice.until", "console.notice.untilOpen")
                        : PendingChanges.Fact.text("console.notice.until", bankTime.minutes(publication.publishUntil())));
    }

    /**
     * Whom a notice is for, as the confirm screen, the waiting change and the list show it: every company,
     * or one company by its name and 企業ID.
     */
    static PendingChanges.Fact audience(CustomerAdministration customers, Long companyId) {
        if (companyId == null) {
            return PendingChanges.Fact.message("console.notice.company", "console.notice.everyCompany");
        }
        String name = customers.company(companyId).map(CustomerAdministration.Company::name).orElse("?");
        return PendingChanges.Fact.text("console.notice.company", name + " (" + companyId + ")");
    }

    /** Whether the notice would end before it is shown, if it were published now. */
    boolean endPassed(Publication publication) {
        return publication.publishUntil() != null && !publication.publishUntil().isAfter(from(publication));
    }

    /** Publishes from the approval on (or from the time written); nothing when its end has passed meanwhile. */
    @Override
    public PendingChanges.Applied apply(Publication publication, String maker, OperatorAccount approver, String address) {
        if (endPassed(publication)) {
            return PendingChanges.Applied.of("console.notice.outcome.endPassed");
        }
        customers.publishNotice(new NoticeDraft(publication.title(), publication.body(), publication.titleEn(),
                publication.bodyEn(), publication.companyId(), from(publication), publication.publishUntil()),
                approver.actor(), address);
        return PendingChanges.Applied.of("console.notice.published");
    }

    private Instant from(Publication publication) {
        return publication.publishFrom() == null
                ? clock.instant().truncatedTo(ChronoUnit.SECONDS) : publication.publishFrom();
    }
}
