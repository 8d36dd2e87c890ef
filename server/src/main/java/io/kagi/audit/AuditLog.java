package io.kagi.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes audit events. {@link #record} joins the caller's transaction (the event and the change
 * it describes commit together); {@link #recordAlone} commits on its own, for failures whose
 * surrounding transaction rolls back.
 */
@Service
public class AuditLog {

    private static final String INSERT = """
            INSERT INTO audit_event (occurred_at, type, actor, company_id, subject, client_address, details)
            VALUES (:at, :type, :actor, :company, :subject, :address, :details)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    AuditLog(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public void record(AuditEvent event) {
        insert(event);
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAlone(AuditEvent event) {
        insert(event);
    }

    /** Records the events in the caller's transaction with one batched statement (a group commit's). */
    @Transactional(propagation = Propagation.REQUIRED)
    public void recordAll(List<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        OffsetDateTime at = now();
        jdbc.batchUpdate(INSERT, events.stream().map(event -> parameters(event, at)).toArray(SqlParameterSource[]::new));
    }

    private void insert(AuditEvent event) {
        jdbc.update(INSERT, parameters(event, now()));
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static SqlParameterSource parameters(AuditEvent event, OffsetDateTime at) {
        return new MapSqlParameterSource()
                .addValue("at", at)
                .addValue("type", event.type())
                .addValue("actor", truncate(event.actor(), 100))
                .addValue("company", event.companyId())
                .addValue("subject", truncate(event.subject(), 200))
                .addValue("address", truncate(event.clientAddress(), 64))
                .addValue("details", truncate(details(event), 2000));
    }

    private static String details(AuditEvent event) {
        return event.details().entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String truncate(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }
}
