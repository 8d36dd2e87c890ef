package io.kagi.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Reads the audit log back, for the bank's operator console: filtered by company, actor, subject,
 * type and time, newest first, a page at a time. Thread-safe.
 */
@Service
public class AuditTrail {

    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What to look for; every part is optional (null or blank matches all).
     *
     * @param companyId the company concerned
     * @param person    an actor or a subject containing this text (e.g. a login ID)
     * @param type      the exact event type, e.g. {@code LOGIN_FAILED}
     * @param from      at or after (inclusive)
     * @param until     before (exclusive)
     */
    public record Filter(Long companyId, String person, String type, Instant from, Instant until) {
        public Filter {
            person = person == null || person.isBlank() ? null : person.strip();
            type = type == null || type.isBlank() ? null : type.strip();
        }
    }

    /** One recorded event. */
    public record Entry(long id, Instant occurredAt, String type, String actor, Long companyId, String subject,
                        String clientAddress, String details) {
    }

    /** One page of entries and whether an older page follows. */
    public record Page(List<Entry> entries, int number, boolean hasNext) {
    }

    /** The {@code number}th page (from 0) of {@code size} entries matching {@code filter}, newest first. */
    public Page search(Filter filter, int number, int size) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (filter.companyId() != null) {
            where.append(" AND company_id = :company");
            params.put("company", filter.companyId());
        }
        if (filter.person() != null) {
            where.append(" AND (actor LIKE :person OR subject LIKE :person)");
            params.put("person", "%" + filter.person().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (filter.type() != null) {
            where.append(" AND type = :type");
            params.put("type", filter.type());
        }
        if (filter.from() != null) {
            where.append(" AND occurred_at >= :from");
            params.put("from", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.until() != null) {
            where.append(" AND occurred_at < :until");
            params.put("until", filter.until().atOffset(ZoneOffset.UTC));
        }
        params.put("limit", size + 1);
        params.put("offset", (long) number * size);
        List<Entry> rows = new ArrayList<>(jdbc.sql("""
                        SELECT id, occurred_at, type, actor, company_id, subject, client_address, details
                        FROM audit_event""" + where + " ORDER BY occurred_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query((row, index) -> new Entry(row.getLong("id"),
                        row.getObject("occurred_at", OffsetDateTime.class).toInstant(), row.getString("type"),
                        row.getString("actor"), (Long) row.getObject("company_id", Long.class), row.getString("subject"),
                        row.getString("client_address"), row.getString("details")))
                .list());
        boolean hasNext = rows.size() > size;
        return new Page(hasNext ? rows.subList(0, size) : rows, number, hasNext);
    }

    /** The event types recorded so far, alphabetically (for the filter's choices). */
    public List<String> types() {
        return jdbc.sql("SELECT DISTINCT type FROM audit_event ORDER BY type").query(String.class).list();
    }
}
