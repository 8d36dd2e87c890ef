package io.kagi.bizweb.top;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The bank's お知らせ as the top page shows them: published now and not withdrawn, newest first. */
@Component
class Notices {

    private static final int SHOWN = 10;

    private final JdbcClient jdbc;
    private final Clock clock;

    Notices(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Notice(String title, String body, Instant publishedFrom) {
    }

    List<Notice> current() {
        return jdbc.sql("""
                        SELECT title, body, publish_from FROM bizweb_notice
                        WHERE withdrawn = FALSE AND publish_from <= :now AND (publish_until IS NULL OR publish_until > :now)
                        ORDER BY publish_from DESC, id DESC LIMIT :shown""")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("shown", SHOWN)
                .query((row, number) -> new Notice(row.getString("title"), row.getString("body"),
                        row.getObject("publish_from", OffsetDateTime.class).toInstant()))
                .list();
    }
}
