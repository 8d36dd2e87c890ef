package io.kagi.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.kagi.platform.StartupNotice;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first operator, whose temporary password is never written to a log: it goes to
 * {@value #PASSWORD_FILE} in the data folder ({@code kagi.data-dir}), readable and writable only by
 * the process's user (mode 600), written atomically (a new file renamed over the old one, so a
 * symbolic link planted there is replaced, never followed), and must be changed at the first login.
 * The log and the start-up report say only where it is.
 * <ul>
 * <li>On the embedded default ({@code kagi.demo.enabled}) the demo supervisor {@value #DEMO_LOGIN_ID}
 *     gets a fresh temporary password at every start.</li>
 * <li>In production, {@code kagi.console.bootstrap-operator=<loginId>,<mail address>} (e.g.
 *     {@code KAGI_CONSOLE_BOOTSTRAP_OPERATOR}) creates that supervisor once, when no operator exists
 *     yet; later starts ignore it.</li>
 * </ul>
 * The operator and the file come together: if the file cannot be written, the operator is not
 * created (or not reset) and the start fails.
 */
@Component
class OperatorBootstrap implements ApplicationRunner, StartupNotice {

    static final String DEMO_LOGIN_ID = "operator01";
    static final String PASSWORD_FILE = "first-operator-password.txt";
    private static final Logger log = LoggerFactory.getLogger(OperatorBootstrap.class);

    private final Operators operators;
    private final ConsoleProperties properties;
    private final TransactionTemplate transaction;
    private final boolean demo;
    private final String consoleUrl;
    private final Path passwordFile;
    private volatile List<String> notice = List.of();

    OperatorBootstrap(Operators operators, ConsoleProperties properties, PlatformTransactionManager transactions,
                      Environment environment) {
        this.operators = operators;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.demo = environment.getProperty("kagi.demo.enabled", Boolean.class, false);
        this.consoleUrl = environment.getProperty("kagi.bank.public-url", "") + "/console/login";
        // Absolute: the start-up report is read from wherever the reader stands (spring-boot:run runs in server/).
        this.passwordFile = Path.of(environment.getProperty("kagi.data-dir", ".")).resolve(PASSWORD_FILE).toAbsolutePath().normalize();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (demo) {
            transaction.executeWithoutResult(status -> {
                String password = operators.find(DEMO_LOGIN_ID)
                        .flatMap(operator -> operators.resetPassword(operator.id(), "system", null))
                        .orElseGet(() -> operators.create(DEMO_LOGIN_ID, "デモ 運用者", DEMO_LOGIN_ID + "@kagi.localhost",
                                OperatorAccount.Role.SUPERVISOR, "system", null));
                write(DEMO_LOGIN_ID, password);
            });
            notice = List.of("Operator console      " + consoleUrl,
                    "    demo supervisor " + DEMO_LOGIN_ID + "  temporary password in " + passwordFile
                            + "  (new at each start; change it at login)");
        }
        String bootstrap = properties.bootstrapOperator();
        if (!bootstrap.isEmpty() && !operators.any()) {
            String[] parts = bootstrap.split(",", 2);
            if (parts.length != 2 || !OperatorAdministration.NewOperator.isLoginId(parts[0].strip())
                    || !parts[1].contains("@")) {
                throw new IllegalStateException("kagi.console.bootstrap-operator is <loginId>,<mail address>");
            }
            String loginId = parts[0].strip();
            transaction.executeWithoutResult(status -> write(loginId, operators.create(loginId, loginId,
                    parts[1].strip(), OperatorAccount.Role.SUPERVISOR, "system", null)));
            log.warn("First console operator {} created (SUPERVISOR). Its temporary password is in {} (readable only by "
                    + "this user); it must be changed at the first login. Delete the file once it is read.", loginId,
                    passwordFile);
        }
    }

    /** Path of the file that holds the latest first operator's temporary password. */
    Path passwordFile() {
        return passwordFile;
    }

    private void write(String loginId, String password) {
        try {
            Path folder = passwordFile.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path written = posix
                    ? Files.createTempFile(folder, ".first-operator-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(folder, ".first-operator-", ".tmp");
            try {
                Files.writeString(written, "login ID: " + loginId + System.lineSeparator()
                        + "temporary password: " + password + System.lineSeparator()
                        + "(must be changed at the first login)" + System.lineSeparator(), StandardCharsets.UTF_8);
                Files.move(written, passwordFile.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(written);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The first operator's password file " + passwordFile + " could not be written", e);
        }
    }

    @Override
    public List<String> lines() {
        return notice;
    }
}
