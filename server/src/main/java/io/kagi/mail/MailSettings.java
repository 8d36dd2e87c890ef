package io.kagi.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The mail module's settings, {@code kagi.mail.*}.
 *
 * @param capture keep mails for the local mailbox page instead of sending them (embedded default)
 * @param from the sender address; the bank's name ({@code kagi.bank.name}) is its display name
 * @param maxAttempts SMTP attempts before a mail is given up as FAILED (default 8)
 * @param initialBackoff wait after the first failed attempt; doubled after each further one (default 1 minute)
 * @param maxBackoff the longest wait between two attempts (default 1 hour)
 * @param pollInterval pause between two runs of the sender on this node (default 2 seconds)
 * @param lease how long a claimed mail stays reserved for the node sending it; after that another
 *              node may send it again (default 5 minutes: longer than a batch of SMTP time-outs)
 * @param batchSize mails claimed at once by one sender run (default 20)
 * @param senderEnabled whether this node runs a sender (default true; every node may)
 * @param nodeId this node's name in {@code claimed_by}; default the host name and process ID
 * @param templatesDir a directory with mail templates that take precedence over the built-in ones,
 *                     {@code <name>_<language>.txt}; read again at most every minute
 * @param timeZone the zone dates in mails are written in (default Asia/Tokyo)
 */
@ConfigurationProperties("kagi.mail")
record MailSettings(
        @DefaultValue("false") boolean capture,
        @DefaultValue("noreply@kagi.localhost") String from,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("1m") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("5m") Duration lease,
        @DefaultValue("20") int batchSize,
        @DefaultValue("true") boolean senderEnabled,
        String nodeId,
        Path templatesDir,
        @DefaultValue("Asia/Tokyo") ZoneId timeZone) {

    MailSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("kagi.mail.max-attempts must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("kagi.mail.batch-size must be at least 1");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("kagi.mail back-off: 0 < initial-backoff <= max-backoff");
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("kagi.mail.poll-interval and kagi.mail.lease must be positive");
        }
        if (templatesDir != null && templatesDir.toString().isBlank()) {
            templatesDir = null;
        }
        if (nodeId == null || nodeId.isBlank()) {
            String host = System.getenv().getOrDefault("HOSTNAME", "kagi");
            nodeId = host + "-" + ProcessHandle.current().pid();
        }
        if (nodeId.length() > 60) {
            nodeId = nodeId.substring(0, 60);
        }
    }

    /**
     * The wait before the next attempt after {@code attempts} failed ones: initial back-off doubled
     * per further attempt, at most the maximum back-off.
     */
    Duration backoffAfter(int attempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
