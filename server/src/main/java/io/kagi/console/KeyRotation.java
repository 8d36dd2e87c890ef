package io.kagi.console;

import java.util.List;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.Resealing;

import org.springframework.stereotype.Service;

/**
 * The keys page (CKEY001): which key-encryption keys seal how many values, and a re-seal pass
 * started by a supervisor (the same pass every node runs on its schedule). The pass is recorded as
 * {@code KEYS_RESEALED} with its counts once it has ended; each of its batches committed on its own,
 * and a pass that stops part-way is simply resumed by the next one.
 */
@Service
public class KeyRotation {

    private final Resealing resealing;
    private final AuditLog audit;

    KeyRotation(Resealing resealing, AuditLog audit) {
        this.resealing = resealing;
        this.audit = audit;
    }

    /** Every key of the ring and any key the stored values name, with its count. */
    public List<Resealing.KeyUsage> keys() {
        return resealing.usage();
    }

    /** The columns the re-seal walks, as {@code table.column}. */
    public List<String> sealedColumns() {
        return resealing.columns();
    }

    /** One pass over every sealed value now, audited with what it did. */
    public Resealing.Pass resealNow(OperatorAccount operator, String address) {
        Resealing.Pass pass = resealing.resealAll();
        audit.recordAlone(AuditEvent.of("KEYS_RESEALED", operator.actor())
                .from(address)
                .detail("moved", String.valueOf(pass.moved()))
                .detail("changedMeanwhile", String.valueOf(pass.changedMeanwhile()))
                .detail("unopenable", String.valueOf(pass.unopenable())));
        return pass;
    }
}
