package io.kagi.authority;

import java.time.Clock;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The services (relying parties) registered at this authority. */
@Service
public class Services {

    private final JdbcClient jdbc;
    private final Clock clock;

    Services(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Registers the service under this ID with the default policy unless it exists; returns its name. */
    @Transactional
    public String ensureRegistered(ServiceId serviceId, String name) {
        Optional<String> existing = nameOf(serviceId);
        if (existing.isPresent()) {
            return existing.get();
        }
        jdbc.sql("INSERT INTO authority_service (service_id, name, created_at) VALUES (:serviceId, :name, :now)")
                .param("serviceId", serviceId.digits())
                .param("name", name)
                .param("now", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .update();
        return name;
    }

    public Optional<String> nameOf(ServiceId serviceId) {
        return jdbc.sql("SELECT name FROM authority_service WHERE service_id = :serviceId")
                .param("serviceId", serviceId.digits())
                .query(String.class)
                .optional();
    }
}
