package io.kagi.platform;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Prints, once the server is ready, where its pages are and what each module wants a newcomer to know. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final BankProperties bank;
    private final Origins origins;
    private final Environment environment;
    private final ObjectProvider<StartupNotice> notices;

    StartupReport(BankProperties bank, Environment environment, ObjectProvider<StartupNotice> notices, Origins origins) {
        this.origins = origins;
        this.bank = bank;
        this.environment = environment;
        this.notices = notices;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String base = bank.publicUrl();
        String management = environment.getProperty("local.management.port",
                environment.getProperty("management.server.port", ""));
        List<String> lines = new ArrayList<>();
        lines.add("Kagi is ready (" + bank.name() + ")");
        lines.add("  Business Web portal   " + base + "/bizweb/login");
        lines.add("  Token app (phones)    " + origins.appUrl() + "   (an origin of its own: the portal's serves no app)");
        if (environment.getProperty("kagi.mail.capture", Boolean.class, false)) {
            lines.add("  Mailbox (captured)    " + base + "/mailbox");
        }
        if (!management.isEmpty()) {
            lines.add("  Health and metrics    http://127.0.0.1:" + management + "/actuator/health , /actuator/prometheus");
        }
        notices.orderedStream().forEach(notice -> notice.lines().forEach(line -> lines.add("  " + line)));
        String rule = "-".repeat(72);
        log.info("\n{}\n{}\n{}", rule, String.join("\n", lines), rule);
    }
}
