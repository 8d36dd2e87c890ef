package io.kagi.mail;

import java.time.Clock;
import java.util.Properties;

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
import org.springframework.mail.javamail.JavaMailSenderImpl;
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
        JavaMailSender server = settings.capture() ? null : smtp.getIfAvailable();
        if (server instanceof JavaMailSenderImpl impl) {
            acceptCarrierAddresses(impl);
        }
        return new OutboxSender(jdbc, transactions, server, settings, bank,
                clock, audit, meters.getIfAvailable(SimpleMeterRegistry::new), settings.nodeId());
    }

    /**
     * Lets JavaMail read back recipient headers leniently: old Japanese carrier addresses such as
     * {@code taro..yamada@docomo.ne.jp} break RFC 5322 (dot-dot, a dot before {@code @}) but receive
     * mail. {@link Outbox} has checked every recipient before it was written.
     */
    private static void acceptCarrierAddresses(JavaMailSenderImpl sender) {
        Properties properties = sender.getJavaMailProperties();
        properties.setProperty("mail.mime.address.strict", "false");
        sender.setJavaMailProperties(properties);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "kagi.mail.sender-enabled", matchIfMissing = true)
    OutboxSenderLoop outboxSenderLoop(OutboxSender sender, MailSettings settings) {
        return new OutboxSenderLoop(sender, settings);
    }
}
