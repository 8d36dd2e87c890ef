package io.kagi.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of a request Kagi reads, and for how long ({@code kagi.http.*}).
 *
 * @param apiBodyLimit  the largest body of a REST API request ({@code /api/**}); its requests are a few hundred bytes
 * @param bodyLimit     the largest body of any other request (the portal's and console's forms)
 * @param bodyDeadline  how long a request's body may take to arrive, counted from the end of its headers;
 *                      a slower client gets 408 and its connection is closed
 */
@ConfigurationProperties("kagi.http")
public record RequestLimits(
        @DefaultValue("16KB") DataSize apiBodyLimit,
        @DefaultValue("64KB") DataSize bodyLimit,
        @DefaultValue("10s") Duration bodyDeadline) {

    public RequestLimits {
        if (apiBodyLimit.toBytes() <= 0 || bodyLimit.toBytes() <= 0 || bodyDeadline.isNegative() || bodyDeadline.isZero()) {
            throw new IllegalArgumentException("kagi.http limits must be positive");
        }
    }
}
