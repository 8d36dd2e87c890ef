package io.kagi.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.kagi.audit.AuditLog;
import io.kagi.platform.BankProperties;
import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The outbox when the database fails over under a running node: a mail delivered just before the
 * database went away is recorded when it is back and not sent again; a claim whose commit answer
 * was lost (it committed, as on a synchronous standby that took over) is released and its mail
 * sent once, at once, instead of after the five-minute lease.
 */
@KagiIntegrationTest
class OutboxFailoverIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MailSettings configured;

    @Autowired
    BankProperties bank;

    @Autowired
    AuditLog audit;

    @Autowired
    Clock clock;

    private FlakyDatabase database;
    private CountingSmtp smtp;
    private OutboxSender sender;

    @BeforeEach
    void senderOnAFlakyDatabase() {
        database = new FlakyDatabase(dataSource);
        smtp = new CountingSmtp();
        MailSettings settings = new MailSettings(false, configured.from(), 8, Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofSeconds(2), Duration.ofMinutes(5), 20, true, "failover-test", null, configured.timeZone());
        // Its mails are due a day from now, so the application's own sender leaves them alone.
        MutableClock later = new MutableClock(clock.instant().plus(Duration.ofDays(2)));
        sender = new OutboxSender(JdbcClient.create(database), new JdbcTransactionManager(database), smtp, settings, bank,
                later, audit, new SimpleMeterRegistry(), "failover-test");
    }

    @Test
    void mailDeliveredAsTheDatabaseWentAwayIsRecordedWhenItIsBackAndNotSentAgain() {
        String recipient = recipient();
        long id = pendingMail(recipient);
        smtp.afterSending = () -> database.away = true;

        assertThatThrownBy(sender::sendDueMails).as("recording the delivery failed").isInstanceOf(RuntimeException.class);
        assertThat(smtp.sentTo(recipient)).isEqualTo(1);
        assertThat(status(id)).isEqualTo("SENDING");

        database.away = false;
        smtp.afterSending = () -> { };
        sender.sendDueMails();

        assertThat(status(id)).isEqualTo("SENT");
        assertThat(smtp.sentTo(recipient)).as("delivered once").isEqualTo(1);
    }

    @Test
    void claimWhoseCommitAnswerWasLostIsReleasedAndItsMailSentOnce() {
        String recipient = recipient();
        long id = pendingMail(recipient);
        database.loseNextCommitAnswer = true;

        assertThatThrownBy(sender::sendDueMails).as("the claim's commit answer lost").isInstanceOf(RuntimeException.class);
        assertThat(status(id)).as("claimed all the same").isEqualTo("SENDING");
        assertThat(smtp.sentTo(recipient)).isZero();

        database.away = false;
        sender.sendDueMails();

        assertThat(status(id)).isEqualTo("SENT");
        assertThat(smtp.sentTo(recipient)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT attempts FROM mail_outbox WHERE id = :id").param("id", id).query(Integer.class).single())
                .as("the released claim was no attempt").isEqualTo(1);
    }

    private static String recipient() {
        return "failover-" + UUID.randomUUID().toString().substring(0, 8) + "@example.jp";
    }

    private long pendingMail(String recipient) {
        var due = clock.instant().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC);
        jdbc.sql("""
                        INSERT INTO mail_outbox (kind, language, recipient, subject, body, status, attempts, next_attempt_at, created_at)
                        VALUES ('test', 'ja', :recipient, 'テスト', '本文', 'PENDING', 0, :due, :due)""")
                .param("recipient", recipient)
                .param("due", due)
                .update();
        return jdbc.sql("SELECT id FROM mail_outbox WHERE recipient = :recipient").param("recipient", recipient)
                .query(Long.class).single();
    }

    private String status(long id) {
        return jdbc.sql("SELECT status FROM mail_outbox WHERE id = :id").param("id", id).query(String.class).single();
    }

    /** The application's database, which can go away, or lose the answer to one commit that did commit. */
    static final class FlakyDatabase extends DelegatingDataSource {

        volatile boolean away;
        volatile boolean loseNextCommitAnswer;

        FlakyDatabase(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (away) {
                throw new SQLTransientConnectionException("The database is away", "08001");
            }
            Connection target = super.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        try {
                            Object result = method.invoke(target, args);
                            if (method.getName().equals("commit") && loseNextCommitAnswer) {
                                loseNextCommitAnswer = false;
                                away = true;
                                throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                            }
                            return result;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    /** Counts what it is asked to send, per recipient; runs {@link #afterSending} after each. */
    static final class CountingSmtp extends JavaMailSenderImpl {

        final List<String> recipients = new CopyOnWriteArrayList<>();
        volatile Runnable afterSending = () -> { };

        @Override
        protected void doSend(MimeMessage[] messages, Object[] originals) {
            for (MimeMessage message : messages) {
                try {
                    for (var to : message.getAllRecipients()) {
                        recipients.add(to.toString());
                    }
                } catch (MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }
            afterSending.run();
        }

        long sentTo(String recipient) {
            return recipients.stream().filter(recipient::equals).count();
        }
    }
}
