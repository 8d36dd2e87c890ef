package io.kagi.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's settings.
 *
 * @param serviceId          the console's サービスID at the token authority (8 digits; default {@code 99000001})
 * @param serviceName        its name in the operators' token app (default "Kagi operator console")
 * @param bootstrapOperator  {@code <loginId>,<mail address>}: creates this first operator (a supervisor) at
 *                           start when no operator exists yet and prints a one-time password; empty: nothing
 */
@ConfigurationProperties("kagi.console")
public record ConsoleProperties(String serviceId, String serviceName, String bootstrapOperator) {

    public ConsoleProperties {
        serviceId = serviceId == null || serviceId.isBlank() ? "99000001" : serviceId;
        serviceName = serviceName == null || serviceName.isBlank() ? "Kagi operator console" : serviceName;
        if (!serviceId.matches("[0-9]{8}")) {
            throw new IllegalArgumentException("kagi.console.service-id is 8 digits");
        }
        bootstrapOperator = bootstrapOperator == null ? "" : bootstrapOperator.strip();
    }
}
