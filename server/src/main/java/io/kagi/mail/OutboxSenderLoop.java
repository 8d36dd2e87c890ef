package io.kagi.mail;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs this node's {@link OutboxSender} on a thread of its own: every {@code kagi.mail.poll-interval}
 * after the previous run ended, and at once when a transaction that wrote a mail commits. Each run
 * sends batches until none is full. Its own thread keeps slow SMTP time-outs away from the shared
 * task scheduler; on shutdown the mail in flight is finished and recorded first.
 */
class OutboxSenderLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxSenderLoop.class);

    private final OutboxSender sender;
    private final MailSettings settings;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;
    private volatile boolean databaseTrouble;

    OutboxSenderLoop(OutboxSender sender, MailSettings settings) {
        this.sender = sender;
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kagi-mail-sender");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::run, interval, interval, TimeUnit.MILLISECONDS);
        log.info("Mail sender {} started ({}), every {}", sender.nodeId(),
                settings.capture() ? "capturing into the local mailbox" : "SMTP", settings.pollInterval());
    }

    /** Asks for a run soon, e.g. after a mail was committed; at most one such run waits at a time. */
    void wakeUp() {
        ScheduledExecutorService running = executor;
        if (running != null && wakePending.compareAndSet(false, true)) {
            try {
                running.execute(() -> {
                    wakePending.set(false);
                    run();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                wakePending.set(false);
            }
        }
    }

    private void run() {
        try {
            int claimed;
            do {
                claimed = sender.sendDueMails();
            } while (claimed == settings.batchSize() && isRunning());
            if (databaseTrouble) {
                log.info("Mail sender {} reaches the database again", sender.nodeId());
                databaseTrouble = false;
            }
        } catch (RuntimeException e) {
            if (!databaseTrouble) {
                log.warn("Mail sender {} could not run; trying again every {}: {}", sender.nodeId(), settings.pollInterval(), e.toString());
                databaseTrouble = true;
            }
        }
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running == null) {
            return;
        }
        executor = null;
        running.shutdown();
        try {
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
