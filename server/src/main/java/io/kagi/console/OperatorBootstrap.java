package io.kagi.console;

import java.util.List;

import io.kagi.platform.StartupNotice;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The first operator. On the embedded default ({@code kagi.demo.enabled}) a demo supervisor
 * {@value #DEMO_LOGIN_ID} exists and gets a fresh password at every start, printed in the start-up
 * report. In production, {@code kagi.console.bootstrap-operator=<loginId>,<mail address>} (e.g.
 * {@code KAGI_CONSOLE_BOOTSTRAP_OPERATOR}) creates that supervisor once, when no operator exists
 * yet, and writes its one-time password to the log of that start only; later starts ignore it.
 */
@Component
class OperatorBootstrap implements ApplicationRunner, StartupNotice {

    static final String DEMO_LOGIN_ID = "operator01";
    private static final Logger log = LoggerFactory.getLogger(OperatorBootstrap.class);

    private final Operators operators;
    private final ConsoleProperties properties;
    private final boolean demo;
    private final String consoleUrl;
    private volatile List<String> notice = List.of();

    OperatorBootstrap(Operators operators, ConsoleProperties properties, Environment environment) {
        this.operators = operators;
        this.properties = properties;
        this.demo = environment.getProperty("kagi.demo.enabled", Boolean.class, false);
        this.consoleUrl = environment.getProperty("kagi.bank.public-url", "") + "/console/login";
    }

    @Override
    public void run(ApplicationArguments args) {
        if (demo) {
            String password = operators.find(DEMO_LOGIN_ID).isPresent()
                    ? operators.resetPassword(DEMO_LOGIN_ID, "system")
                    : operators.create(DEMO_LOGIN_ID, "デモ 運用者", DEMO_LOGIN_ID + "@kagi.localhost",
                    OperatorAccount.Role.SUPERVISOR, "system");
            notice = List.of("Operator console      " + consoleUrl,
                    "    demo supervisor " + DEMO_LOGIN_ID + "  password " + password
                            + "  (its token notice arrives in the mailbox)");
        }
        String bootstrap = properties.bootstrapOperator();
        if (!bootstrap.isEmpty() && !operators.any()) {
            String[] parts = bootstrap.split(",", 2);
            if (parts.length != 2 || !parts[0].strip().matches("[A-Za-z0-9._-]{3,32}") || !parts[1].contains("@")) {
                throw new IllegalStateException("kagi.console.bootstrap-operator is <loginId>,<mail address>");
            }
            String loginId = parts[0].strip();
            String password = operators.create(loginId, loginId, parts[1].strip(), OperatorAccount.Role.SUPERVISOR,
                    "system");
            log.warn("First console operator {} created (SUPERVISOR). One-time password, shown only now: {}",
                    loginId, password);
        }
    }

    @Override
    public List<String> lines() {
        return notice;
    }
}
