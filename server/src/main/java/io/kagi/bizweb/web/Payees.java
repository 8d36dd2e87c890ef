package io.kagi.bizweb.web;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.kagi.bizweb.web.WorkForms.PayeeForm;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * 振込先: a company's payees. Every query is scoped to the company, so another company's payee is
 * not found; a change or deletion applies only to the version the confirm screen showed.
 */
@Component
class Payees {

    private final JdbcClient jdbc;
    private final Clock clock;

    Payees(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Payee(long id, int version, String bankCode, String branchCode, String accountType, String accountNumber,
                 String holderName) {
        @Override
        public String toString() {
            return "Payee[id=" + id + ", account=" + Fields.maskedAccount(accountNumber) + "]";
        }
    }

    private static final RowMapper<Payee> ROW = (row, number) -> new Payee(row.getLong("id"), row.getInt("version"),
            row.getString("bank_code"), row.getString("branch_code"), row.getString("account_type"),
            row.getString("account_number"), row.getString("holder_name"));

    private static final String COLUMNS = """
            SELECT id, version, bank_code, branch_code, account_type, account_number, holder_name FROM bizweb_payee""";

    List<Payee> ofCompany(long companyId) {
        return jdbc.sql(COLUMNS + " WHERE company_id = :company AND deleted_at IS NULL ORDER BY holder_name, id")
                .param("company", companyId).query(ROW).list();
    }

    Optional<Payee> find(long companyId, long id) {
        return jdbc.sql(COLUMNS + " WHERE id = :id AND company_id = :company AND deleted_at IS NULL")
                .param("id", id).param("company", companyId).query(ROW).optional();
    }

    long register(long companyId, PayeeForm form) {
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
    boolean change(long companyId, PayeeForm form) {
        return jdbc.sql("""
                        UPDATE bizweb_payee SET bank_code = :bank, branch_code = :branch, account_type = :type,
                               account_number = :number, holder_name = :holder, version = version + 1, updated_at = :now
                        WHERE id = :id AND company_id = :company AND version = :version AND deleted_at IS NULL""")
                .param("bank", form.bankCode()).param("branch", form.branchCode()).param("type", form.accountType())
                .param("number", form.accountNumber()).param("holder", form.holderName()).param("now", now())
                .param("id", form.id()).param("company", companyId).param("version", form.version())
                .update() == 1;
    }

    /** Deletes the payee (softly: requests that named it keep their copy) if still at the confirmed version. */
    boolean delete(long companyId, long id, int version) {
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
