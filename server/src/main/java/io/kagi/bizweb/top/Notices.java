package io.kagi.bizweb.top;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The bank's お知らせ as the top page shows them to a user: published now, not withdrawn, for every
 * company or for the user's own, newest first; in English for a user whose language is English when the
 * notice has English text, else in Japanese.
 */
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

    List<Notice> current(long companyId, Locale locale) {
        boolean english = Locale.ENGLISH.getLanguage().equals(locale.getLanguage());
        return jdbc.sql("""
                        SELECT title, body, title_en, body_en, publish_from FROM bizweb_notice
                        WHERE withdrawn = FALSE AND publish_from <= :now AND (publish_until IS NULL OR publish_until > :now)
                          AND (company_id IS NULL OR company_id = :company)
                        ORDER BY publish_from DESC, id DESC LIMIT :shown""")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("company", companyId).param("shown", SHOWN)
                .query((row, number) -> english && row.getString("title_en") != null
                        ? new Notice(row.getString("title_en"), row.getString("body_en"),
                                row.getObject("publish_from", OffsetDateTime.class).toInstant())
                        : new Notice(row.getString("title"), row.getString("body"),
                                row.getObject("publish_from", OffsetDateTime.class).toInstant()))
                .list();
    }
}
