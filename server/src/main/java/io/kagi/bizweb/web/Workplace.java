package io.kagi.bizweb.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the top page and the work lists read about a user's company: its name, payees, approvals. */
@Component
class Workplace {

    private final JdbcClient jdbc;

    Workplace(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Profile(String companyName, String displayName, String mailAddress) {
    }

    record Payee(String bankCode, String branchCode, String accountType, String accountNumber, String holderName) {
        @Override
        public String toString() {
            return "Payee[bankCode=" + bankCode + ", holderName=" + holderName + "]";
        }
    }

    record ApprovalRequest(long id, String kind, String summary, String requestedBy, Instant requestedAt) {
    }

    Profile profile(PortalAccount user) {
        return jdbc.sql("""
                        SELECT c.name AS company_name, u.display_name, u.mail_address
                        FROM bizweb_user u JOIN bizweb_company c ON c.id = u.company_id WHERE u.id = :id""")
                .param("id", user.id())
                .query((row, number) -> new Profile(row.getString("company_name"), row.getString("display_name"),
                        row.getString("mail_address")))
                .single();
    }

    int pendingApprovals(PortalAccount user) {
        return jdbc.sql("SELECT COUNT(*) FROM bizweb_approval_request WHERE approver_id = :id AND status = 'PENDING'")
                .param("id", user.id()).query(Integer.class).single();
    }

    List<ApprovalRequest> approvalsWaitingFor(PortalAccount user) {
        return jdbc.sql("""
                        SELECT a.id, a.kind, a.summary, u.display_name, a.requested_at
                        FROM bizweb_approval_request a JOIN bizweb_user u ON u.id = a.requested_by
                        WHERE a.approver_id = :id AND a.status = 'PENDING' ORDER BY a.requested_at""")
                .param("id", user.id())
                .query((row, number) -> new ApprovalRequest(row.getLong("id"), row.getString("kind"), row.getString("summary"),
                        row.getString("display_name"), row.getObject("requested_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    List<Payee> payees(PortalAccount user) {
        return jdbc.sql("""
                        SELECT bank_code, branch_code, account_type, account_number, holder_name
                        FROM bizweb_payee WHERE company_id = :company ORDER BY holder_name, id""")
                .param("company", user.companyId())
                .query((row, number) -> new Payee(row.getString("bank_code"), row.getString("branch_code"),
                        row.getString("account_type"), row.getString("account_number"), row.getString("holder_name")))
                .list();
    }
}
