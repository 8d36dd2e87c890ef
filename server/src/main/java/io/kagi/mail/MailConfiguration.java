package io.kagi.mail;

import java.time.Clock;

import io.kagi.audit.AuditLog;
import io.kagi.platform.BankProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The sender of this node. In capture mode ({@code kagi.mail.capture=true}) it needs no SMTP
 * server and marks mails {@code CAPTURED}; otherwise Spring Boot's {@code spring.mail.*} settings
 * give it the server, and start-up fails without them.
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean
    OutboxSender outboxSender(JdbcClient jdbc, PlatformTransactionManager transactions,
                              ObjectProvider<JavaMailSender> smtp, MailSettings settings, BankProperties bank,
                              Clock clock, AuditLog audit, ObjectProvider<MeterRegistry> meters) {
        return new OutboxSender(jdbc, transactions, settings.capture() ? null : smtp.getIfAvailable(), settings, bank,
                clock, audit, meters.getIfAvailable(SimpleMeterRegistry::new), settings.nodeId());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "kagi.mail.sender-enabled", matchIfMissing = true)
    OutboxSenderLoop outboxSenderLoop(OutboxSender sender, MailSettings settings) {
        return new OutboxSenderLoop(sender, settings);
    }
}
