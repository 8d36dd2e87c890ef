package io.kagi.bizweb.portal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the top page reads about a user and their company: the names, and how many requests wait for them. */
@Component
public class Workplace {

    private final JdbcClient jdbc;

    Workplace(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The names, and how many requests wait for the user's approval. */
    public record Profile(String companyName, String displayName, String mailAddress, int pendingApprovals) {
    }

    /** One statement for the whole of what the top page shows of the user (issue 24: a login's statements). */
    public Profile profile(PortalAccount user) {
        return jdbc.sql("""
                        SELECT c.name AS company_name, u.display_name, u.mail_address,
                               (SELECT COUNT(*) FROM bizweb_approval_request r
                                WHERE r.approver_id = u.id AND r.status = 'PENDING') AS pending_approvals
                        FROM bizweb_user u JOIN bizweb_company c ON c.id = u.company_id WHERE u.id = :id""")
                .param("id", user.id())
                .query((row, number) -> new Profile(row.getString("company_name"), row.getString("display_name"),
                        row.getString("mail_address"), row.getInt("pending_approvals")))
                .single();
    }
}
