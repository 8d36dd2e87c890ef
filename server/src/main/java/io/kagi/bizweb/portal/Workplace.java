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

    record Profile(String companyName, String displayName, String mailAddress) {
    }

    public Profile profile(PortalAccount user) {
        return jdbc.sql("""
                        SELECT c.name AS company_name, u.display_name, u.mail_address
                        FROM bizweb_user u JOIN bizweb_company c ON c.id = u.company_id WHERE u.id = :id""")
                .param("id", user.id())
                .query((row, number) -> new Profile(row.getString("company_name"), row.getString("display_name"),
                        row.getString("mail_address")))
                .single();
    }

    public int pendingApprovals(PortalAccount user) {
        return jdbc.sql("SELECT COUNT(*) FROM bizweb_approval_request WHERE approver_id = :id AND status = 'PENDING'")
                .param("id", user.id()).query(Integer.class).single();
    }
}
