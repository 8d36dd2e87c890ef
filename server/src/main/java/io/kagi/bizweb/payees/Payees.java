package io.kagi.bizweb.payees;

import io.kagi.platform.BankAccounts;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalSigning;
import io.kagi.authority.TransactionText;
import io.kagi.bizweb.portal.Fields;
import io.kagi.bizweb.portal.PortalAccount;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.confirmation.Execution;
import io.kagi.bizweb.payees.PayeeForms.PayeeForm;
import io.kagi.bizweb.payees.PayeeForms.PayeeOperation;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * 振込先: a company's payees. Every query is scoped to the company, so another company's payee is
 * not found; a change or deletion applies only to the version the confirm screen showed. BPAY003
 * holds the change it shows ({@link #hold}); {@link #execute} carries out exactly that, once, with
 * its audit row, after the user's fresh one-time password.
 */
@Component
public class Payees {

    static final String STEP = "payee-execute";

    private final JdbcClient jdbc;
    private final ConfirmedWork work;
    private final AuditLog audit;
    private final Clock clock;

    Payees(JdbcClient jdbc, ConfirmedWork work, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.work = work;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What BPAY003 confirmed: the payee to register, or the one to change or delete at {@code version};
     * {@code signing} is the reference of the signing request the phone was asked (取引認証 under the
     * policy {@code TRANSFERS_AND_PAYEES}), null when a TOTP code confirms it.
     */
    record PayeeChange(PayeeOperation operation, Long payeeId, Integer version, String bankCode, String branchCode,
                       String accountType, String accountNumber, String holderName, String signing) {

        PayeeChange(PayeeOperation operation, Long payeeId, Integer version, String bankCode, String branchCode,
                    String accountType, String accountNumber, String holderName) {
            this(operation, payeeId, version, bankCode, branchCode, accountType, accountNumber, holderName, null);
        }

        PayeeChange withSigning(String reference) {
            return new PayeeChange(operation, payeeId, version, bankCode, branchCode, accountType, accountNumber,
                    holderName, reference);
        }

        /** What the phone shows for signing this change (振込先登録). */
        TransactionText signingText() {
            return new TransactionText(TransactionText.Purpose.PAYEE_REGISTRATION, bankCode, branchCode,
                    PortalSigning.accountTypeShown(accountType), accountNumber, holderName, null);
        }

        static PayeeChange of(PayeeForm form) {
            return new PayeeChange(form.op(), form.op() == PayeeOperation.REGISTER ? null : form.id(),
                    form.op() == PayeeOperation.REGISTER ? null : form.version(), form.bankCode(), form.branchCode(),
                    form.accountType(), form.accountNumber(), form.holderName());
        }

        static PayeeChange deletion(Payee payee) {
            return new PayeeChange(PayeeOperation.DELETE, payee.id(), payee.version(), payee.bankCode(),
                    payee.branchCode(), payee.accountType(), payee.accountNumber(), payee.holderName());
        }

        /** The confirm screen's form showing this change (no code, no form token). */
        PayeeForm form() {
            return new PayeeForm(operation.name(), payeeId, version, bankCode, branchCode, accountType, accountNumber,
                    holderName, "", "");
        }

        @Override
        public String toString() {
            return "PayeeChange[" + operation + ", id=" + payeeId + ", account=" + BankAccounts.masked(accountNumber) + "]";
        }
    }

    /** Holds the change BPAY003 shows; returns its form token. */
    String hold(PortalAccount user, String address, PayeeChange change) {
        return work.hold(user, address, STEP, change);
    }

    /** BPAY003 → BPAY004: the confirmed change, once, with its audit row, if {@code code} is a fresh code. */
    @Transactional
    Execution<PayeeChange, Long> execute(PortalAccount user, String address, String formToken, String code) {
        return work.execute(user, address, STEP, formToken, code, PayeeChange.class, change -> apply(user, address, change));
    }

    /**
     * BPAY003 → BPAY004 where the confirmed change may hold a signing request: signed by the phone or
     * by {@code signature} (the offline code) when it does, else with the TOTP {@code code}.
     */
    @Transactional
    Execution<PayeeChange, Long> execute(PortalAccount user, String address, String formToken, String code, String signature) {
        return work.executeSigned(user, address, STEP, formToken, signature, code, PayeeChange.class, PayeeChange::signing,
                change -> apply(user, address, change));
    }

    private Optional<Long> apply(PortalAccount user, String address, PayeeChange change) {
        long companyId = user.companyId();
        Optional<Long> payeeId = switch (change.operation()) {
            case REGISTER -> Optional.of(register(companyId, change));
            case CHANGE -> change(companyId, change) ? Optional.of(change.payeeId()) : Optional.empty();
            case DELETE -> delete(companyId, change.payeeId(), change.version())
                    ? Optional.of(change.payeeId()) : Optional.empty();
        };
        payeeId.ifPresent(id -> audit.record(AuditEvent.of("PAYEE_" + switch (change.operation()) {
                    case REGISTER -> "REGISTERED";
                    case CHANGE -> "CHANGED";
                    case DELETE -> "DELETED";
                }, user.loginId())
                .company(companyId).subject("payee:" + id).from(address)
                .detail("factor", change.signing() == null ? "otp" : "signing")
                .detail("signing", change.signing() == null ? "" : change.signing())
                .detail("bank", change.bankCode() + "-" + change.branchCode())
                .detail("account", BankAccounts.masked(change.accountNumber()))));
        return payeeId;
    }

    public record Payee(long id, int version, String bankCode, String branchCode, String accountType, String accountNumber,
                 String holderName) {
        @Override
        public String toString() {
            return "Payee[id=" + id + ", account=" + BankAccounts.masked(accountNumber) + "]";
        }
    }

    private static final RowMapper<Payee> ROW = (row, number) -> new Payee(row.getLong("id"), row.getInt("version"),
            row.getString("bank_code"), row.getString("branch_code"), row.getString("account_type"),
            row.getString("account_number"), row.getString("holder_name"));

    private static final String COLUMNS = """
            SELECT id, version, bank_code, branch_code, account_type, account_number, holder_name FROM bizweb_payee""";

    public List<Payee> ofCompany(long companyId) {
        return jdbc.sql(COLUMNS + " WHERE company_id = :company AND deleted_at IS NULL ORDER BY holder_name, id")
                .param("company", companyId).query(ROW).list();
    }

    public Optional<Payee> find(long companyId, long id) {
        return jdbc.sql(COLUMNS + " WHERE id = :id AND company_id = :company AND deleted_at IS NULL")
                .param("id", id).param("company", companyId).query(ROW).optional();
    }

    private long register(long companyId, PayeeChange form) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO bizweb_payee (company_id, bank_code, branch_code, account_type, account_number, holder_name,
                                                  created_at, updated_at)
                        VALUES (:company, :bank, :branch, :type, :number, :holder, :now, :now)""")
                .param("company", companyId).param("bank", form.bankCode()).param("branch", form.branchCode())
                .param("type", form.accountType()).param("number", form.accountNumber()).param("holder", form.holderName())
                .param("now", now())
                .update(key, "id");
        return key.getKey().longValue();
    }

    /** Changes the payee if it is still at the version the user confirmed; false otherwise. */
    private boolean change(long companyId, PayeeChange form) {
        return jdbc.sql("""
                        UPDATE bizweb_payee SET bank_code = :bank, branch_code = :branch, account_type = :type,
                               account_number = :number, holder_name = :holder, version = version + 1, updated_at = :now
                        WHERE id = :id AND company_id = :company AND version = :version AND deleted_at IS NULL""")
                .param("bank", form.bankCode()).param("branch", form.branchCode()).param("type", form.accountType())
                .param("number", form.accountNumber()).param("holder", form.holderName()).param("now", now())
                .param("id", form.payeeId()).param("company", companyId).param("version", form.version())
                .update() == 1;
    }

    /** Deletes the payee (softly: requests that named it keep their copy) if still at the confirmed version. */
    private boolean delete(long companyId, long id, int version) {
        return jdbc.sql("""
                        UPDATE bizweb_payee SET deleted_at = :now, version = version + 1, updated_at = :now
                        WHERE id = :id AND company_id = :company AND version = :version AND deleted_at IS NULL""")
                .param("now", now()).param("id", id).param("company", companyId).param("version", version)
                .update() == 1;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
