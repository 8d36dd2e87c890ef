package io.kagi.bizweb.transfers;

import io.kagi.platform.BankAccounts;
import io.kagi.bizweb.payees.Payees;
import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.Fields;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalSigning;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.kagi.audit.AuditEvent;
import io.kagi.authority.TransactionText;
import io.kagi.audit.AuditLog;
import io.kagi.confirmation.Execution;

/**
 * 振込依頼 and 承認: transfer requests (approval requests of kind {@code TRANSFER}). A request names
 * its approver; it is PENDING until that approver approves it (APPROVED, final: nothing changes it
 * any more) or returns it (RETURNED, 差戻し: the requester may edit and resubmit it; they may also edit
 * a request still pending, e.g. to name another approver). Every change is
 * one conditional UPDATE on the expected state and version, so two nodes cannot both decide. No
 * money moves: an approved request is recorded as approved.
 *
 * <p>BTRF003 and BAPR002 hold what they show ({@link #hold}); {@link #request} and {@link #decide}
 * carry out exactly that, once, with its audit row.
 */
@Component
class Transfers {

    static final String KIND = "TRANSFER";
    static final String REQUEST_STEP = "transfer-execute";
    static final String DECISION_STEP = "approval-execute";

    private final JdbcClient jdbc;
    private final Payees payees;
    private final Colleagues colleagues;
    private final ConfirmedWork work;
    private final AuditLog audit;
    private final Clock clock;

    Transfers(JdbcClient jdbc, Payees payees, Colleagues colleagues, ConfirmedWork work, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.payees = payees;
        this.colleagues = colleagues;
        this.work = work;
        this.audit = audit;
        this.clock = clock;
    }

    /** What BTRF003 confirmed: a new request, or the resubmission of {@code transferId} at {@code version}. */
    record TransferRequest(Long transferId, Integer version, long payeeId, long amount, LocalDate transferDate,
                           long approverId) {
    }

    /**
     * What BAPR002 showed: the request to decide, at the version shown, and the reference of the
     * signing request the phone was asked (取引認証; null when the policy asks only a TOTP code).
     */
    record Decision(long transferId, int version, String signing) {
    }

    /** Holds what BTRF003 or BAPR002 shows; returns its form token. */
    String hold(PortalAccount user, String address, Record operation) {
        return work.hold(user, address, operation instanceof Decision ? DECISION_STEP : REQUEST_STEP, operation);
    }

    /**
     * BTRF003 → BTRF004: the confirmed request, once, with its audit row (no code: the approval asks
     * for one). The payee and the approver are checked again: gone or no longer an approver since
     * the confirm screen, nothing happens.
     */
    @Transactional
    Execution<TransferRequest, Long> request(PortalAccount user, String address, String formToken) {
        return work.executeWithoutCode(user, address, REQUEST_STEP, formToken, TransferRequest.class,
                confirmed -> carryOut(user, address, confirmed));
    }

    /**
     * BAPR002 → BAPR003: approves or returns (差戻し) the confirmed request, once, with its audit
     * row, if {@code code} is a fresh code of the approver's token.
     */
    @Transactional
    Execution<Decision, Long> decide(PortalAccount user, String address, String formToken, String code, boolean approve,
                               String comment) {
        return work.execute(user, address, DECISION_STEP, formToken, code, Decision.class,
                decision -> carryOut(user, address, decision, approve, comment, "otp"));
    }

    /**
     * BAPR002 → BAPR003 under 取引認証: approves the confirmed request, once, when the signing
     * request held with it was approved on the phone or {@code code} is its offline code (a request
     * confirmed before the policy asked for signing takes the TOTP code {@code otp}).
     */
    @Transactional
    Execution<Decision, Long> approveSigned(PortalAccount user, String address, String formToken, String code, String otp,
                                            String comment) {
        return work.executeSigned(user, address, DECISION_STEP, formToken, code, otp, Decision.class, Decision::signing,
                decision -> carryOut(user, address, decision, true, comment, decision.signing() == null ? "otp"
                        : code == null || code.isBlank() ? "signing-phone" : "signing-code"));
    }

    private Optional<Long> carryOut(PortalAccount user, String address, Decision decision, boolean approve, String comment,
                                    String factor) {
        // The approval right is read again now: one lost since the confirm screen counts.
        if (!colleagues.current(user).canApprove() || !decide(user.companyId(), decision.transferId(), decision.version(), user.id(), approve, comment)) {
            return Optional.empty();
        }
        Transfer transfer = find(user.companyId(), decision.transferId()).orElseThrow();
        AuditEvent event = AuditEvent.of(approve ? "TRANSFER_APPROVED" : "TRANSFER_RETURNED", user.loginId())
                .company(user.companyId()).subject("transfer:" + transfer.id()).from(address).detail("factor", factor)
                .detail("amount", String.valueOf(transfer.amount()))
                .detail("account", BankAccounts.masked(transfer.accountNumber()));
        audit.record(factor.startsWith("signing") ? event.detail("signing", decision.signing()) : event);
        return Optional.of(transfer.id());
    }

    /** What the phone shows for approving this request (振込承認). */
    static TransactionText approvalText(Transfer transfer) {
        return new TransactionText(TransactionText.Purpose.TRANSFER_APPROVAL, transfer.bankCode(), transfer.branchCode(),
                PortalSigning.accountTypeShown(transfer.accountType()), transfer.accountNumber(), transfer.holderName(),
                transfer.amount());
    }

    private Optional<Long> carryOut(PortalAccount user, String address, TransferRequest confirmed) {
        Optional<Payees.Payee> payee = payees.find(user.companyId(), confirmed.payeeId());
        Optional<Colleagues.Colleague> approver = colleagues.approversFor(colleagues.current(user)).stream()
                .filter(candidate -> candidate.id() == confirmed.approverId()).findFirst();
        if (payee.isEmpty() || approver.isEmpty()) {
            return Optional.empty();
        }
        long id;
        if (confirmed.transferId() == null) {
            id = create(user.companyId(), user.id(), confirmed.approverId(), payee.get(), confirmed.amount(),
                    confirmed.transferDate());
        } else if (resubmit(user.companyId(), confirmed.transferId(), confirmed.version(), user.id(), confirmed.approverId(),
                payee.get(), confirmed.amount(), confirmed.transferDate())) {
            id = confirmed.transferId();
        } else {
            return Optional.empty();
        }
        audit.record(AuditEvent.of(confirmed.transferId() == null ? "TRANSFER_REQUESTED" : "TRANSFER_RESUBMITTED",
                        user.loginId())
                .company(user.companyId()).subject("transfer:" + id).from(address)
                .detail("approver", approver.get().loginId()).detail("amount", String.valueOf(confirmed.amount()))
                .detail("account", BankAccounts.masked(payee.get().accountNumber())));
        return Optional.of(id);
    }

    record Transfer(long id, int version, long companyId, String status, Long payeeId, String bankCode,
                    String branchCode, String accountType, String accountNumber, String holderName, long amount,
                    LocalDate transferDate, long requestedById, String requestedBy, long approverId, String approver,
                    Instant requestedAt, Instant decidedAt, String decidedBy, String decisionComment) {

        boolean editableBy(long userId) {
            return requestedById == userId && ("RETURNED".equals(status) || "PENDING".equals(status));
        }

        @Override
        public String toString() {
            return "Transfer[id=" + id + ", status=" + status + ", account=" + BankAccounts.masked(accountNumber) + "]";
        }
    }

    private static final String COLUMNS = """
            SELECT a.id, a.version, a.company_id, a.status, a.payee_id, a.bank_code, a.branch_code, a.account_type,
                   a.account_number, a.holder_name, a.amount, a.transfer_date, a.requested_by, r.display_name AS requester,
                   a.approver_id, p.display_name AS approver, a.requested_at, a.decided_at, d.display_name AS decider,
                   a.decision_comment
            FROM bizweb_approval_request a
            JOIN bizweb_user r ON r.id = a.requested_by
            JOIN bizweb_user p ON p.id = a.approver_id
            LEFT JOIN bizweb_user d ON d.id = a.decided_by""";

    private static final RowMapper<Transfer> ROW = (row, number) -> new Transfer(row.getLong("id"), row.getInt("version"),
            row.getLong("company_id"), row.getString("status"), (Long) row.getObject("payee_id", Long.class),
            row.getString("bank_code"), row.getString("branch_code"), row.getString("account_type"),
            row.getString("account_number"), row.getString("holder_name"), row.getLong("amount"),
            row.getObject("transfer_date", LocalDate.class), row.getLong("requested_by"), row.getString("requester"),
            row.getLong("approver_id"), row.getString("approver"),
            row.getObject("requested_at", OffsetDateTime.class).toInstant(),
            Optional.ofNullable(row.getObject("decided_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null),
            row.getString("decider"), row.getString("decision_comment"));

    Optional<Transfer> find(long companyId, long id) {
        return jdbc.sql(COLUMNS + " WHERE a.id = :id AND a.company_id = :company AND a.kind = :kind")
                .param("id", id).param("company", companyId).param("kind", KIND).query(ROW).optional();
    }

    /** The requests a user made or is to approve, newest first. */
    List<Transfer> involving(long userId) {
        return jdbc.sql(COLUMNS + """
                         WHERE a.kind = :kind AND (a.requested_by = :user OR a.approver_id = :user)
                        ORDER BY a.requested_at DESC, a.id DESC""")
                .param("kind", KIND).param("user", userId).query(ROW).list();
    }

    /** The requests waiting for this approver, oldest first. */
    List<Transfer> waitingFor(long approverId) {
        return jdbc.sql(COLUMNS + " WHERE a.kind = :kind AND a.approver_id = :user AND a.status = 'PENDING' ORDER BY a.requested_at, a.id")
                .param("kind", KIND).param("user", approverId).query(ROW).list();
    }

    private long create(long companyId, long requesterId, long approverId, Payees.Payee payee, long amount, LocalDate date) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO bizweb_approval_request (company_id, kind, summary, requested_by, approver_id, status,
                               requested_at, payee_id, bank_code, branch_code, account_type, account_number, holder_name,
                               amount, transfer_date)
                        VALUES (:company, :kind, :summary, :requester, :approver, 'PENDING', :now, :payee, :bank, :branch,
                                :type, :number, :holder, :amount, :date)""")
                .param("company", companyId).param("kind", KIND).param("summary", summary(payee, amount))
                .param("requester", requesterId).param("approver", approverId).param("now", now())
                .param("payee", payee.id()).param("bank", payee.bankCode()).param("branch", payee.branchCode())
                .param("type", payee.accountType()).param("number", payee.accountNumber())
                .param("holder", payee.holderName()).param("amount", amount).param("date", date)
                .update(key, "id");
        return key.getKey().longValue();
    }

    /**
     * Resubmits a returned or still pending request of this requester (e.g. to name another approver
     * when the one named lost the approval right), at the version they edited; false otherwise.
     */
    private boolean resubmit(long companyId, long id, int version, long requesterId, long approverId, Payees.Payee payee,
                     long amount, LocalDate date) {
        return jdbc.sql("""
                        UPDATE bizweb_approval_request SET status = 'PENDING', approver_id = :approver, summary = :summary,
                               payee_id = :payee, bank_code = :bank, branch_code = :branch, account_type = :type,
                               account_number = :number, holder_name = :holder, amount = :amount, transfer_date = :date,
                               requested_at = :now, decided_at = NULL, decided_by = NULL, decision_comment = NULL,
                               version = version + 1
                        WHERE id = :id AND company_id = :company AND kind = :kind AND status IN ('RETURNED', 'PENDING')
                              AND requested_by = :requester AND version = :version""")
                .param("approver", approverId).param("summary", summary(payee, amount)).param("payee", payee.id())
                .param("bank", payee.bankCode()).param("branch", payee.branchCode()).param("type", payee.accountType())
                .param("number", payee.accountNumber()).param("holder", payee.holderName()).param("amount", amount)
                .param("date", date).param("now", now()).param("id", id).param("company", companyId).param("kind", KIND)
                .param("requester", requesterId).param("version", version)
                .update() == 1;
    }

    /**
     * Approves or returns a PENDING request designated to this approver, who is not its requester and
     * neither created it nor was created by it (unless the creator is the master; {@link
     * Colleagues.Colleague#mayApproveFor}), at the version the confirm screen showed; false when any of
     * that no longer holds.
     */
    private boolean decide(long companyId, long id, int version, long approverId, boolean approve, String comment) {
        return jdbc.sql("""
                        UPDATE bizweb_approval_request SET status = :status, decided_at = :now, decided_by = :approver,
                               decision_comment = :comment, version = version + 1
                        WHERE id = :id AND company_id = :company AND kind = :kind AND status = 'PENDING'
                              AND approver_id = :approver AND requested_by <> :approver AND version = :version
                              AND NOT EXISTS (SELECT 1 FROM bizweb_user r, bizweb_user p
                                              WHERE r.id = requested_by AND p.id = :approver
                                                AND ((p.created_by = r.id AND r.role <> 'MASTER')
                                                  OR (r.created_by = p.id AND p.role <> 'MASTER')))""")
                .param("status", approve ? "APPROVED" : "RETURNED").param("now", now()).param("approver", approverId)
                .param("comment", comment == null || comment.isBlank() ? null : comment.strip())
                .param("id", id).param("company", companyId).param("kind", KIND).param("version", version)
                .update() == 1;
    }

    private static String summary(Payees.Payee payee, long amount) {
        String text = payee.holderName() + " " + String.format("%,d", amount) + "円";
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
