package io.kagi.bizweb.portal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** ご利用履歴: the successful logins of each user. */
@Component
public class LoginHistory {

    private final JdbcClient jdbc;

    LoginHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(long userId, Instant at, String clientAddress) {
        jdbc.sql("INSERT INTO bizweb_login_history (user_id, logged_in_at, client_address) VALUES (:user, :at, :address)")
                .param("user", userId).param("at", at.atOffset(ZoneOffset.UTC)).param("address", clientAddress)
                .update();
    }

    /** The user's latest successful logins, newest first (the current one included). */
    public List<Instant> latest(long userId, int count) {
        return jdbc.sql("SELECT logged_in_at FROM bizweb_login_history WHERE user_id = :user ORDER BY logged_in_at DESC, id DESC LIMIT :count")
                .param("user", userId).param("count", count)
                .query((row, number) -> row.getObject("logged_in_at", OffsetDateTime.class).toInstant())
                .list();
    }
}
