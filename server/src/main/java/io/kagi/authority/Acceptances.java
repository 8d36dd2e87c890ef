package io.kagi.authority;

import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts verified codes in group commits. Each acceptance is the token's conditional UPDATE (the
 * step must be later than the last accepted one) and its OTP_ACCEPTED audit row; every acceptance
 * waiting at the moment goes into one transaction, a JDBC batch for the updates (tokens in id
 * order, so that nodes take row locks in the same order) and one for the audit rows. A request
 * that finds a commit running waits for it; the next one then commits everything queued since,
 * its own included. Nobody is told "accepted" before the commit that holds their audit row.
 * When a batch fails, its acceptances are retried one transaction each, so one bad row cannot
 * fail the others; when it fails because the database went away (the commit's outcome unknown, as
 * in a failover), every acceptance of the batch fails with it instead. One commit at a time per node: splitting the queue in two or four (disjoint
 * tokens committing side by side) made the batches smaller and the rate lower on two cores.
 * Thread-safe.
 */
@Component
class Acceptances {

    /**
     * The acceptance: the step must be later than the last accepted one. It resets the failure
     * counter only when the last counted failure is older than {@code forgiveBefore} (the start of
     * the accepted code's validity): failures made while the accepted code was valid — a burst of
     * guesses with a right code among them — stay counted, so at most the lock threshold of wrong
     * codes is ever evaluated between two unlocks, whatever the parallelism (docs/security.md §3).
     */
    static final String ACCEPT = """
            UPDATE authority_token SET last_accepted_step = ?,
                   consecutive_failures = CASE WHEN last_failed_at IS NULL OR last_failed_at < ? THEN 0
                                               ELSE consecutive_failures END,
                   last_used_at = ?
            WHERE id = ? AND state = 'ACTIVE' AND (last_accepted_step IS NULL OR last_accepted_step < ?)""";
    private static final int MAX_BATCH = 128;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committer = new ReentrantLock();

    Acceptances(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, AuditLog audit) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.audit = audit;
    }

    /**
     * Whether {@code step} was accepted for the token, committed with {@code accepted} in the audit
     * log; false when the token is no longer ACTIVE or has accepted this step or a later one.
     */
    boolean accept(long tokenId, long step, Instant forgiveBefore, Instant now, AuditEvent accepted) {
        Pending mine = new Pending(tokenId, step, forgiveBefore, now, accepted, new CompletableFuture<>());
        queue.add(mine);
        committer.lock();
        try {
            while (!mine.outcome().isDone()) {
                commit(drain());
            }
        } finally {
            committer.unlock();
        }
        try {
            return mine.outcome().join();
        } catch (CompletionException failed) {
            // The commit's own exception, so that callers see e.g. the database being unavailable.
            throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
        }
    }

    /** The same acceptance, alone, in the caller's transaction (the audit row is the caller's to write). */
    boolean acceptInCurrentTransaction(long tokenId, long step, Instant forgiveBefore, Instant now) {
        return jdbc.update(ACCEPT, step, TokenStore.utc(forgiveBefore), TokenStore.utc(now), tokenId, step) == 1;
    }

    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        batch.sort(Comparator.comparingLong(Pending::tokenId).thenComparingLong(Pending::step));
        return batch;
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        boolean[] results;
        try {
            results = transactions.execute(status -> acceptAll(batch));
        } catch (RuntimeException batchFailed) {
            if (lostTheDatabase(batchFailed)) {
                // The connection broke or none could be had: the commit's outcome is unknown (it may
                // have reached a synchronous standby that is now the primary). Nobody is told
                // "accepted" or "wrong" on a guess, and nothing is retried row by row against a
                // database that is away (each retry would wait the pool's time-out): every request
                // of the batch gets the failure, answered 503, and the client retries with a fresh code.
                batch.forEach(pending -> pending.outcome().completeExceptionally(batchFailed));
                return;
            }
            for (Pending pending : batch) {
                try {
                    pending.outcome().complete(transactions.execute(status -> acceptAll(List.of(pending)))[0]);
                } catch (RuntimeException failed) {
                    pending.outcome().completeExceptionally(failed);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).outcome().complete(results[i]);
        }
    }

    private static boolean lostTheDatabase(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof TransactionSystemException) {
                return true;
            }
        }
        return false;
    }

    private boolean[] acceptAll(List<Pending> batch) {
        int[] counts = jdbc.batchUpdate(ACCEPT, batch, batch.size(), (statement, pending) -> {
            statement.setLong(1, pending.step());
            statement.setObject(2, TokenStore.utc(pending.forgiveBefore()));
            statement.setObject(3, TokenStore.utc(pending.now()));
            statement.setLong(4, pending.tokenId());
            statement.setLong(5, pending.step());
        })[0];
        boolean[] accepted = new boolean[batch.size()];
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                throw new IllegalStateException("The driver did not report an update count in a batch");
            }
            accepted[i] = counts[i] == 1;
            if (accepted[i]) {
                events.add(batch.get(i).accepted());
            }
        }
        audit.recordAll(events);
        return accepted;
    }

    private record Pending(long tokenId, long step, Instant forgiveBefore, Instant now, AuditEvent accepted,
                           CompletableFuture<Boolean> outcome) {
    }
}
