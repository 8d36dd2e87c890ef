package io.kagi.mail;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;

import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenActivated;
import io.kagi.authority.TokenIssued;
import io.kagi.authority.TokenLocked;
import io.kagi.authority.TokenRevoked;
import io.kagi.authority.UserId;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes the notices of a token's life into the outbox, synchronously, inside the transaction that
 * published the authority's event: the mail commits and rolls back with the change. None of them
 * carries a password, a seed or a one-time password.
 */
@Component
class TokenNotices {

    private final Outbox outbox;
    private final MailTemplates templates;

    TokenNotices(Outbox outbox, MailTemplates templates) {
        this.outbox = outbox;
        this.templates = templates;
    }

    /** トークン発行のお知らせ: サービスID, ユーザID, where the 利用開始パスワード comes from, the app, the support desk. */
    @EventListener
    void on(TokenIssued event) {
        Map<String, Object> model = token(event.serviceId(), event.serviceName(), event.userId(), event.issuedAt());
        model.put("activationDeadline", local(event.activationDeadline()));
        send("token-issued", event.locale(), event.mailAddress(), model);
    }

    @EventListener
    void on(TokenActivated event) {
        send("token-activated", event.locale(), event.mailAddress(), token(event.serviceId(), event.serviceName(), event.userId(), event.at()));
    }

    @EventListener
    void on(TokenLocked event) {
        send("token-locked", event.locale(), event.mailAddress(), token(event.serviceId(), event.serviceName(), event.userId(), event.at()));
    }

    @EventListener
    void on(TokenRevoked event) {
        send("token-revoked", event.locale(), event.mailAddress(), token(event.serviceId(), event.serviceName(), event.userId(), event.at()));
    }

    /** A token without a mail address (none was given for it) gets no notice. */
    private void send(String template, Locale locale, String recipient, Map<String, Object> model) {
        if (recipient != null && !recipient.isBlank()) {
            outbox.send(template, locale, recipient, model);
        }
    }

    private Map<String, Object> token(ServiceId serviceId, String serviceName, UserId userId, Instant at) {
        Map<String, Object> model = new java.util.HashMap<>();
        model.put("serviceId", serviceId.digits());
        model.put("serviceName", serviceName);
        model.put("userId", userId.digits());
        model.put("at", local(at));
        return model;
    }

    private ZonedDateTime local(Instant instant) {
        return instant.atZone(templates.zone());
    }
}
