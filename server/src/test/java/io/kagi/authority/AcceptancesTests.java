package io.kagi.authority;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.kagi.audit.AuditEvent;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

/**
 * How a group commit fails: when the database went away (no connection, or one broken during the
 * commit, whose outcome is then unknown) every acceptance of the batch gets that failure at once,
 * which the API answers 503; any other failure of the batch is retried one acceptance at a time.
 */
class AcceptancesTests {

    @Test
    void databaseLostFailsTheBatchWithoutRetryingEachAcceptance() {
        FailingTransactions transactions = new FailingTransactions(
                new CannotCreateTransactionException("no connection", new DataAccessResourceFailureException("refused")));
        Acceptances acceptances = new Acceptances(new JdbcTemplate(), transactions, null);

        assertThatThrownBy(() -> acceptances.accept(1, 100, Instant.parse("2026-11-27T23:58:00Z"), Instant.parse("2026-11-28T00:00:00Z"),
                AuditEvent.of("OTP_ACCEPTED", "test")))
                .isInstanceOf(CannotCreateTransactionException.class);
        assertThat(transactions.begun.get()).as("one attempt: the batch, no retry row by row").isEqualTo(1);
    }

    @Test
    void otherBatchFailuresAreRetriedOneAcceptanceAtATime() {
        FailingTransactions transactions = new FailingTransactions(new PessimisticLockingFailureException("deadlock"));
        Acceptances acceptances = new Acceptances(new JdbcTemplate(), transactions, null);

        assertThatThrownBy(() -> acceptances.accept(1, 100, Instant.parse("2026-11-27T23:58:00Z"), Instant.parse("2026-11-28T00:00:00Z"),
                AuditEvent.of("OTP_ACCEPTED", "test")))
                .isInstanceOf(PessimisticLockingFailureException.class);
        assertThat(transactions.begun.get()).as("the batch, then the acceptance alone").isEqualTo(2);
    }

    /** A transaction manager that cannot begin a transaction, counting the attempts. */
    private static final class FailingTransactions implements PlatformTransactionManager {

        private final RuntimeException failure;
        private final AtomicInteger begun = new AtomicInteger();

        FailingTransactions(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            begun.incrementAndGet();
            throw failure;
        }

        @Override
        public void commit(TransactionStatus status) {
            throw new IllegalStateException("never begun");
        }

        @Override
        public void rollback(TransactionStatus status) {
            throw new IllegalStateException("never begun");
        }
    }
}
