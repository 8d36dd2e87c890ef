package io.kagi.mail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.kagi.platform.BankProperties;
import io.kagi.platform.Origins;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresolver.FileTemplateResolver;

/**
 * Renders mails from Thymeleaf text templates {@code <name>_<language>.txt}: the first line is
 * {@code Subject: …}, then a blank line, then the plain-text body. Built-in templates live in
 * {@code mail-templates/} on the class path; a bank edits its own copies in
 * {@code kagi.mail.templates-dir}, which take precedence and are read again at most every minute.
 *
 * <p>Every template sees {@code bank} (name, support phone and hours), {@code appUrl} (the token
 * app for smartphones), {@code portalUrl} and {@code zone} besides its own model. The language is
 * the locale's if a template exists for it, else Japanese. Thread-safe.
 */
@Component
class MailTemplates {

    static final String CLASSPATH_PREFIX = "mail-templates/";
    static final String SUFFIX = ".txt";
    private static final String DEFAULT_LANGUAGE = "ja";

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final BankProperties bank;
    private final Origins origins;
    private final MailSettings settings;

    MailTemplates(BankProperties bank, MailSettings settings, Origins origins) {
        this.bank = bank;
        this.origins = origins;
        this.settings = settings;
        int order = 1;
        if (settings.templatesDir() != null) {
            FileTemplateResolver files = new FileTemplateResolver();
            files.setPrefix(settings.templatesDir().toAbsolutePath() + "/");
            files.setSuffix(SUFFIX);
            files.setTemplateMode(TemplateMode.TEXT);
            files.setCharacterEncoding(StandardCharsets.UTF_8.name());
            files.setCheckExistence(true);
            files.setCacheTTLMs(60_000L);
            files.setOrder(order++);
            engine.addTemplateResolver(files);
        }
        ClassLoaderTemplateResolver builtIn = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
        builtIn.setPrefix(CLASSPATH_PREFIX);
        builtIn.setSuffix(SUFFIX);
        builtIn.setTemplateMode(TemplateMode.TEXT);
        builtIn.setCharacterEncoding(StandardCharsets.UTF_8.name());
        builtIn.setCheckExistence(true);
        builtIn.setOrder(order);
        engine.addTemplateResolver(builtIn);
    }

    /**
     * Renders one mail.
     *
     * @throws IllegalArgumentException if no template of that name exists or it has no subject line
     */
    RenderedMail render(String template, Locale locale, Map<String, ?> model) {
        if (!template.matches("[a-z][a-z0-9-]{0,39}")) {
            throw new IllegalArgumentException("A mail template name is lower-case letters, digits and hyphens: " + template);
        }
        String language = languageFor(template, locale);
        Map<String, Object> variables = new HashMap<>();
        variables.put("bank", bank);
        variables.put("appUrl", origins.appUrl());
        variables.put("portalUrl", bank.publicUrl() + "/bizweb/login");
        variables.put("zone", settings.timeZone());
        variables.putAll(model);
        String text = engine.process(template + "_" + language, new Context(Locale.forLanguageTag(language), variables));
        return RenderedMail.parse(template, language, text);
    }

    /** The zone dates in mails are written in. */
    java.time.ZoneId zone() {
        return settings.timeZone();
    }

    private String languageFor(String template, Locale locale) {
        String wanted = locale == null ? DEFAULT_LANGUAGE : locale.getLanguage();
        if (exists(template + "_" + wanted)) {
            return wanted;
        }
        if (exists(template + "_" + DEFAULT_LANGUAGE)) {
            return DEFAULT_LANGUAGE;
        }
        throw new IllegalArgumentException("No mail template " + template);
    }

    private boolean exists(String name) {
        if (!name.matches("[a-z][a-z0-9-]*_[a-z]{2,3}")) {
            return false;
        }
        Path dir = settings.templatesDir();
        return (dir != null && Files.isRegularFile(dir.resolve(name + SUFFIX)))
                || new ClassPathResource(CLASSPATH_PREFIX + name + SUFFIX, MailTemplates.class.getClassLoader()).exists();
    }

    /** A rendered mail: one subject line and a plain-text body. */
    record RenderedMail(String kind, String language, String subject, String body) {

        static RenderedMail parse(String kind, String language, String text) {
            String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
            if (normalised.startsWith("\uFEFF")) {
                normalised = normalised.substring(1);
            }
            int end = normalised.indexOf("\n\n");
            String head = end < 0 ? normalised : normalised.substring(0, end);
            if (!head.startsWith("Subject:") || head.contains("\n")) {
                throw new IllegalArgumentException("Mail template " + kind + "_" + language
                        + " must start with one line 'Subject: …' and a blank line");
            }
            String subject = head.substring("Subject:".length()).strip();
            String body = end < 0 ? "" : normalised.substring(end + 2).stripTrailing() + "\n";
            if (subject.isEmpty()) {
                throw new IllegalArgumentException("Mail template " + kind + "_" + language + " has an empty subject");
            }
            return new RenderedMail(kind, language, subject, body);
        }
    }
}
