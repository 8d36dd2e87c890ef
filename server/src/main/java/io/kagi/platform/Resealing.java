package io.kagi.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Key rotation: moves every sealed value (each {@link SealedColumn} the modules declare) to the
 * active key, and counts the values under each key.
 *
 * <p>A pass walks each column in the order of its primary key, in batches of {@code batchSize}
 * rows still under another key; each batch is one transaction, and each row is written by a
 * conditional update ({@code WHERE id = :id AND column = :old}), so a serving node that changes the
 * same row meanwhile wins and the row is left for the next pass. Nothing is remembered between
 * passes: a pass that stops (a node ends) is resumed by the next, which finds the rows still under
 * an old key. Passes run on every node ({@code kagi.keys.reseal-interval}, default ten minutes) and
 * when the console starts one; running at once on many nodes is safe for the same reason.
 *
 * <p>The counts per key are the gauge {@code kagi.secrets.sealed{key=…}} (refreshed after each
 * pass); {@code kagi.secrets.resealed} counts the values moved. A key whose count is zero seals
 * nothing any more and can be removed from the ring. Thread-safe.
 */
@Service
public class Resealing {

    private static final Logger log = LoggerFactory.getLogger(Resealing.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final SecretsAtRest secrets;
    private final List<SealedColumn> columns;
    private final int batchSize;
    private final MultiGauge sealedGauge;
    private final Counter resealedCounter;

    Resealing(JdbcClient jdbc, PlatformTransactionManager transactionManager, SecretsAtRest secrets,
              List<SealedColumn> columns, ObjectProvider<MeterRegistry> meters,
              @Value("${kagi.keys.reseal-batch-size:200}") int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("kagi.keys.reseal-batch-size must be at least 1");
        }
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.secrets = secrets;
        this.columns = List.copyOf(columns);
        this.batchSize = batchSize;
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.sealedGauge = MultiGauge.builder("kagi.secrets.sealed")
                .description("Values sealed at rest, per key-encryption key id")
                .register(registry);
        this.resealedCounter = Counter.builder("kagi.secrets.resealed")
                .description("Sealed values moved to the active key")
                .register(registry);
    }

    /** What one key seals: {@code inRing} false means values that no longer open (the key was removed too early). */
    public record KeyUsage(String keyId, boolean inRing, boolean active, long values) {

        /** In the ring, not active and sealing nothing: it can be removed from the ring. */
        public boolean removable() {
            return inRing && !active && values == 0;
        }
    }

    /**
     * What a pass did: values moved to the active key, values skipped because a serving node changed
     * the row meanwhile, and values that did not open (their key is not in the ring, or they were
     * altered) and stay as they are.
     */
    public record Pass(long moved, long changedMeanwhile, long unopenable) {
    }

    /** The scheduled pass; a failure is logged and the next pass tries again. */
    @Scheduled(fixedDelayString = "${kagi.keys.reseal-interval:PT10M}",
            initialDelayString = "${kagi.keys.reseal-initial-delay:PT1M}")
    void scheduledPass() {
        try {
            Pass pass = resealAll();
            if (pass.moved() > 0 || pass.unopenable() > 0) {
                log.info("Re-sealed {} values under the active key {} ({} changed meanwhile, {} did not open)",
                        pass.moved(), secrets.activeKeyId(), pass.changedMeanwhile(), pass.unopenable());
            }
        } catch (RuntimeException e) {
            log.warn("The re-seal pass stopped; the next pass resumes it: {}", e.toString());
        }
    }

    /** One pass over every sealed column, then the counts per key are refreshed. */
    public Pass resealAll() {
        long moved = 0;
        long changed = 0;
        long unopenable = 0;
        for (SealedColumn column : columns) {
            Pass pass = reseal(column);
            moved += pass.moved();
            changed += pass.changedMeanwhile();
            unopenable += pass.unopenable();
        }
        usage();
        return new Pass(moved, changed, unopenable);
    }

    private Pass reseal(SealedColumn column) {
        String active = secrets.activeKeyId() + ":";
        long moved = 0;
        long changed = 0;
        long unopenable = 0;
        Object after = null;
        while (true) {
            List<Row> batch = candidates(column, active, after);
            if (batch.isEmpty()) {
                break;
            }
            Pass pass = transactions.execute(status -> resealBatch(column, batch));
            moved += pass.moved();
            changed += pass.changedMeanwhile();
            unopenable += pass.unopenable();
            resealedCounter.increment(pass.moved());
            after = batch.get(batch.size() - 1).id();
            if (batch.size() < batchSize) {
                break;
            }
        }
        return new Pass(moved, changed, unopenable);
    }

    private record Row(Object id, String sealed) {
        @Override
        public String toString() {
            return "Row[id=" + id + "]";
        }
    }

    private List<Row> candidates(SealedColumn column, String activePrefix, Object after) {
        String sql = "SELECT " + column.idColumn() + " AS id, " + column.column() + " AS sealed FROM " + column.table()
                + " WHERE " + column.column() + " IS NOT NULL AND LEFT(" + column.column() + ", :length) <> :prefix"
                + (after == null ? "" : " AND " + column.idColumn() + " > :after")
                + " ORDER BY " + column.idColumn() + " LIMIT :limit";
        JdbcClient.StatementSpec statement = jdbc.sql(sql)
                .param("length", activePrefix.length())
                .param("prefix", activePrefix)
                .param("limit", batchSize);
        if (after != null) {
            statement = statement.param("after", after);
        }
        return statement.query((rs, n) -> new Row(rs.getObject("id"), rs.getString("sealed"))).list();
    }

    private Pass resealBatch(SealedColumn column, List<Row> batch) {
        long moved = 0;
        long changed = 0;
        long unopenable = 0;
        String update = "UPDATE " + column.table() + " SET " + column.column() + " = :sealed"
                + (column.keyIdColumn() == null ? "" : ", " + column.keyIdColumn() + " = :keyId")
                + " WHERE " + column.idColumn() + " = :id AND " + column.column() + " = :old";
        for (Row row : batch) {
            String context = column.contextPrefix() + row.id();
            byte[] plain;
            try {
                plain = secrets.open(row.sealed(), context);
            } catch (IllegalStateException | IllegalArgumentException e) {
                log.warn("The sealed value of {} in row {} did not open and stays as it is: {}", column.name(), row.id(),
                        e.getMessage());
                unopenable++;
                continue;
            }
            String resealed;
            try {
                resealed = secrets.seal(plain, context);
            } finally {
                java.util.Arrays.fill(plain, (byte) 0);
            }
            int rows = jdbc.sql(update)
                    .param("sealed", resealed)
                    .param("keyId", secrets.activeKeyId())
                    .param("id", row.id())
                    .param("old", row.sealed())
                    .update();
            if (rows == 1) {
                moved++;
            } else {
                changed++;
            }
        }
        return new Pass(moved, changed, unopenable);
    }

    /**
     * How many values each key seals now (one query per column): every key of the ring, even when
     * it seals nothing, and any key the values name that the ring lacks. Refreshes the gauge.
     */
    public List<KeyUsage> usage() {
        Map<String, Long> counts = new TreeMap<>();
        for (String id : secrets.keyIds()) {
            counts.put(id, 0L);
        }
        for (SealedColumn column : columns) {
            String keyId = "LEFT(" + column.column() + ", POSITION(':' IN " + column.column() + ") - 1)";
            jdbc.sql("SELECT " + keyId + " AS key_id, COUNT(*) AS n FROM " + column.table()
                            + " WHERE " + column.column() + " LIKE '%:%' GROUP BY " + keyId)
                    .query((rs, n) -> Map.entry(rs.getString("key_id"), rs.getLong("n")))
                    .list()
                    .forEach(entry -> counts.merge(entry.getKey(), entry.getValue(), Long::sum));
        }
        List<KeyUsage> usage = new ArrayList<>();
        counts.forEach((id, values) -> usage.add(
                new KeyUsage(id, secrets.keyIds().contains(id), id.equals(secrets.activeKeyId()), values)));
        sealedGauge.register(usage.stream()
                .map(key -> MultiGauge.Row.of(Tags.of("key", key.keyId()), key.values()))
                .toList(), true);
        return List.copyOf(usage);
    }

    /** The columns the modules declared, as {@code table.column}. */
    public List<String> columns() {
        return columns.stream().map(SealedColumn::name).toList();
    }
}
