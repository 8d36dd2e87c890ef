package io.kagi.console.web;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The audit log's event types in words ({@code console.audit.event.<TYPE>} in the console's message
 * files, Japanese and English); a type without a message (a new one) is shown as it is recorded.
 * Templates use it as {@code ${@auditWords.of(entry.type(), #locale)}}.
 */
@Component("auditWords")
class AuditWords {

    private final MessageSource messages;

    AuditWords(MessageSource messages) {
        this.messages = messages;
    }

    /** The type in {@code locale}'s words, or as recorded. */
    public String of(String type, Locale locale) {
        return messages.getMessage("console.audit.event." + type, null, type, locale);
    }
}
