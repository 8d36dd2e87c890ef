package io.kagi.mail;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The facts of an "approval requested" notice (承認依頼のお知らせ) for one approver. It tells who
 * asked and what kind of work waits, and sends the approver to the portal; it never carries a
 * one-time password, a password, an account number or an amount.
 *
 * @param recipient the approver's mail address
 * @param locale the approver's language ({@code null}: Japanese)
 * @param companyName the customer company's name
 * @param approverName the approver's name, printed with 様
 * @param requesterName who asked for the approval
 * @param work what waits, in words, e.g. 「振込（2件）」
 * @param requestedAt when it was asked for
 */
public record ApprovalRequestedNotice(String recipient, Locale locale, String companyName, String approverName,
                                      String requesterName, String work, Instant requestedAt) {

    public ApprovalRequestedNotice {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(companyName, "companyName");
        Objects.requireNonNull(approverName, "approverName");
        Objects.requireNonNull(requesterName, "requesterName");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(requestedAt, "requestedAt");
        locale = locale == null ? Locale.JAPANESE : locale;
    }
}
