package io.kagi.acceptance;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.MutableClock;
import io.kagi.tokencli.KagiToken;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kagi-token} in place of the phone, run in-process on the same {@link MutableClock} as the
 * server (the computer's clock, moved with the server's). Every command and its output is recorded
 * in the walkthrough as the customer would see it in a terminal.
 */
final class CommandLineToken implements TokenHolder {

    private static final Pattern CODE_LINE = Pattern.compile("^(\\d{8}) (\\d{6}) +\\d+s .*$", Pattern.MULTILINE);

    private final Map<String, String> environment;
    private final MutableClock clock;
    private final Walkthrough walk;

    record Run(String command, int exitCode, String out, String err) {

        String transcript() {
            return "$ " + command + "\n" + out + err;
        }
    }

    CommandLineToken(Path home, MutableClock clock, Walkthrough walk) {
        this.environment = Map.of("XDG_CONFIG_HOME", home.toString(), "KAGI_TOKEN_PASSPHRASE", "a passphrase for this walk");
        this.clock = clock;
        this.walk = walk;
    }

    Run kagiToken(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new KagiToken(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                null, clock).commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run("kagi-token " + String.join(" ", args), exitCode, out.toString(), err.toString());
    }

    @Override
    public void readMail(String section, IssuanceMail mail) {
        walk.text(section, "Mail: 「" + mail.subject() + "」 arrives from " + mail.from() + " with サービスID " + mail.serviceId()
                + " and ユーザID " + mail.userId() + " (the decoded message GreenMail received)", mail.text());
    }

    @Override
    public void activateFirst(IssuanceMail mail, String activationPassword) {
        activate("4–6", mail, activationPassword, "かぎ銀行ビジネスWeb");
    }

    private void activate(String section, IssuanceMail mail, String activationPassword, String serviceName) {
        String server = mail.appAddress().replaceFirst("/app/$", "");
        Run activate = kagiToken(activationPassword + "\n", "activate", "--server", server, "--service-id", mail.serviceId(),
                "--user-id", mail.userId(), "--password-stdin");
        assertThat(activate.err()).isEmpty();
        assertThat(activate.exitCode()).isZero();
        assertThat(activate.out()).contains("Activated the token of " + serviceName + " (サービスID " + mail.serviceId()
                + ", ユーザID " + mail.userId() + ")");
        Run list = kagiToken("", "list");
        assertThat(list.out()).contains(mail.serviceId() + " ", mail.userId());
        walk.text(section, "Terminal: activates with the IDs from the mail (the server is the mail's app address without /app/);"
                        + " the 利用開始パスワード goes on standard input",
                activate.transcript() + "\n" + list.transcript());
    }

    @Override
    public String showCode(String section, String serviceId) {
        return code(section, serviceId, "Terminal: prints the one-time password");
    }

    @Override
    public String openLater(String section, String serviceId) {
        return code(section, serviceId, "Terminal, a day later: prints today's one-time password");
    }

    private String code(String section, String serviceId, String line) {
        Run code = kagiToken("", "code", "--service-id", serviceId);
        assertThat(code.exitCode()).isZero();
        assertThat(code.out().strip()).matches("\\d{6}");
        walk.text(section, line, code.transcript());
        return code.out().strip();
    }

    @Override
    public void addToken(IssuanceMail mail, String activationPassword) {
        activate("11", mail, activationPassword, SecondRelyingParty.NAME);
    }

    @Override
    public Map<String, String> showCodes(String section) {
        Run codes = kagiToken("", "code");
        assertThat(codes.exitCode()).isZero();
        Map<String, String> byService = new LinkedHashMap<>();
        Matcher line = CODE_LINE.matcher(codes.out());
        while (line.find()) {
            byService.put(line.group(1), line.group(2));
        }
        walk.text(section, "Terminal: with two tokens, `code` prints each service's code and the seconds left", codes.transcript());
        return byService;
    }

    @Override
    public String approveTransfer(String section, String account, String amount) {
        Run sign = kagiToken("", "sign", "--service-id", SeedWalk.PORTAL_SERVICE_ID, "--account", account, "--amount", amount);
        assertThat(sign.exitCode()).isZero();
        assertThat(sign.out().strip()).matches("\\d{8}");
        walk.text(section, "Terminal: `kagi-token sign` with the payee's account number and the amount the PC shows "
                + "prints the 取引認証コード bound to them (トランザクション認証)", sign.transcript());
        return sign.out().strip();
    }
}
