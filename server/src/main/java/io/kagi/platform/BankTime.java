package io.kagi.platform;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/**
 * The bank's time zone ({@code kagi.bank.time-zone}, default Asia/Tokyo), in which every time a
 * person reads is written — pages, mails, the console's audit log — and in which "today" and a
 * typed date and time are meant, whatever the JVM's default zone is. Pages see it as
 * {@code ${bankTime}}. Immutable and thread-safe.
 */
@Component
public final class BankTime {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final ZoneId zone;

    BankTime(BankProperties bank) {
        this.zone = bank.timeZone();
    }

    public ZoneId zone() {
        return zone;
    }

    /** The instant on the bank's clocks; null for null. */
    public ZonedDateTime at(Instant instant) {
        return instant == null ? null : instant.atZone(zone);
    }

    /** The bank's date at the clock's instant. */
    public LocalDate today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    /** {@code 2026/11/29 06:29} in the bank's zone; empty for null. */
    public String minutes(Instant instant) {
        return instant == null ? "" : MINUTES.format(instant.atZone(zone));
    }

    /** {@code 2026/11/29 06:29:05} in the bank's zone; empty for null. */
    public String seconds(Instant instant) {
        return instant == null ? "" : SECONDS.format(instant.atZone(zone));
    }
}
