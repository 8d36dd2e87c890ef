package io.kagi.tokencli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.kagi.activation.AnswerAuthentication;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kagi-token}: the customer's token on a desktop or in a script. Activates with サービスID,
 * ユーザID and 利用開始パスワード like the phone app, keeps its tokens encrypted under a
 * passphrase ({@link TokenStore}), prints the current code.
 *
 * <p>Environment: {@code KAGI_TOKEN_PASSPHRASE} (the store's passphrase, for scripts; asked
 * without echo otherwise), {@code KAGI_TOKEN_FILE} or {@code XDG_CONFIG_HOME} (where the store is).
 */
@Command(name = "kagi-token", mixinStandardHelpOptions = true, version = "kagi-token 0.1.0",
        description = "Kagi one-time-password token for the command line (ワンタイムパスワード).",
        subcommands = {KagiToken.Activate.class, KagiToken.ListTokens.class, KagiToken.Code.class, KagiToken.Sign.class,
                KagiToken.Remove.class})
public final class KagiToken {

    /** Exit status of a refused or failed command; 2 is picocli's usage error. */
    static final int FAILED = 1;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Map<String, String> environment;
    private final BufferedReader stdin;
    private final Console console;
    private final Clock clock;

    /**
     * @param environment the process environment (or a test's)
     * @param stdin       standard input, for {@code --password-stdin}
     * @param console     the terminal for prompts without echo, or null where there is none
     * @param clock       this computer's clock
     */
    public KagiToken(Map<String, String> environment, InputStream stdin, Console console, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.stdin = new BufferedReader(new InputStreamReader(stdin, Charset.defaultCharset()));
        this.console = console;
        this.clock = clock;
    }

    public static void main(String[] args) {
        KagiToken token = new KagiToken(System.getenv(), System.in, System.console(), Clock.systemDefaultZone());
        System.exit(token.commandLine().execute(args));
    }

    /** The command line of this token, ready to {@link CommandLine#execute}. */
    public CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(this, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type.getEnclosingClass() == KagiToken.class && !java.lang.reflect.Modifier.isStatic(type.getModifiers())) {
                    return type.getDeclaredConstructor(KagiToken.class).newInstance(KagiToken.this);
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println("kagi-token: " + describe(exception));
            return FAILED;
        });
        return commandLine;
    }

    private static String describe(Exception exception) {
        if (exception instanceof ConnectException) {
            return "cannot reach the server (no network, or a wrong --server address)";
        }
        if (exception instanceof HttpTimeoutException) {
            return "the server did not answer in time";
        }
        if (exception instanceof TokenStore.WrongPassphraseException) {
            return exception.getMessage();
        }
        if (exception instanceof IOException) {
            return exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        }
        return exception.getClass().getSimpleName() + (exception.getMessage() == null ? "" : ": " + exception.getMessage());
    }

    Path storeFile() {
        return TokenStore.defaultFile(environment);
    }

    /** The passphrase from {@code KAGI_TOKEN_PASSPHRASE}, else asked without echo (twice for a new store). */
    char[] passphrase(boolean newStore) throws IOException {
        String fromEnvironment = environment.get("KAGI_TOKEN_PASSPHRASE");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        if (console == null) {
            throw new IOException("no terminal to ask for the passphrase: set KAGI_TOKEN_PASSPHRASE");
        }
        char[] first = console.readPassword(newStore ? "New passphrase for %s: " : "Passphrase for %s: ", storeFile());
        if (first == null || first.length == 0) {
            throw new IOException("no passphrase given");
        }
        if (newStore) {
            char[] again = console.readPassword("Passphrase again: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new IOException("the two passphrases differ");
            }
        }
        return first;
    }

    /** Opens the store, or with {@code create} a new empty one where there is none yet. */
    Optional<TokenStore> openStore(boolean create) throws IOException {
        Path file = storeFile();
        boolean exists = TokenStore.exists(file);
        if (!exists && !create) {
            return Optional.empty();
        }
        char[] passphrase = passphrase(!exists);
        try {
            return Optional.of(exists ? TokenStore.open(file, passphrase) : TokenStore.create(file, passphrase));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    char[] activationPassword(boolean fromStdin) throws IOException {
        if (fromStdin) {
            String line = stdin.readLine();
            if (line == null) {
                throw new IOException("no activation password on standard input");
            }
            return line.strip().toCharArray();
        }
        if (console == null) {
            throw new IOException("no terminal to ask for the activation password: use --password-stdin");
        }
        char[] password = console.readPassword("利用開始パスワード (activation password): ");
        if (password == null) {
            throw new IOException("no activation password given");
        }
        return password;
    }

    static boolean digits(String value, int min, int max) {
        return value != null && value.length() >= min && value.length() <= max && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Activates a token (初期設定 / トークン追加) with the IDs from the issuance mail.")
    final class Activate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--server", required = true, description = "The address of the bank's Kagi, e.g. https://otp.bank.example")
        URI server;

        @Option(names = "--service-id", required = true, description = "サービスID: 8 digits")
        String serviceId;

        @Option(names = "--user-id", required = true, description = "ユーザID: 6 digits")
        String userId;

        @Option(names = "--password-stdin", description = "Read the activation password from the first line of standard input instead of asking.")
        boolean passwordFromStdin;

        @Option(names = "--replace", description = "Replace the token of this service kept here (e.g. one the bank revoked or a new issue replaced) once the new one is activated.")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!digits(serviceId, 8, 8) || !digits(userId, 6, 6)) {
                err.println("kagi-token: a サービスID is 8 digits and a ユーザID 6 digits");
                return 2;
            }
            if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
                err.println("kagi-token: --server is an http or https address");
                return 2;
            }
            TokenStore store = openStore(true).orElseThrow();
            Optional<StoredToken> existing = store.find(serviceId);
            if (existing.isPresent() && !replace) {
                String state = existing.get().state();
                err.println("kagi-token: a token of service " + serviceId + " is already here"
                        + ("active".equals(state) ? "" : " (the bank said it is " + state + ")")
                        + "; one token per service. To replace it with the new one, run activate again with --replace"
                        + " (the old token is removed once the new one is activated)");
                return FAILED;
            }
            if (existing.isEmpty() && store.tokens().size() >= TokenStore.MAX_TOKENS) {
                err.println("kagi-token: at most " + TokenStore.MAX_TOKENS + " tokens; remove one first");
                return FAILED;
            }
            char[] password = activationPassword(passwordFromStdin);
            if (!digits(new String(password), 4, 8)) {
                Arrays.fill(password, '\0');
                err.println("kagi-token: the activation password (利用開始パスワード) is 4 to 8 digits");
                return 2;
            }
            ActivationClient.Outcome outcome = new ActivationClient(server, clock).activate(serviceId, userId, password);
            if (outcome instanceof ActivationClient.Outcome.Activated activated) {
                StoredToken token = activated.token();
                store.remove(serviceId);
                store.add(token);
                store.save();
                out.println("Activated the token of " + token.serviceName() + " (サービスID " + token.serviceId()
                        + ", ユーザID " + token.userId() + ").");
                if (Math.abs(token.clockOffsetMillis()) > CLOCK_WARNING_MILLIS) {
                    out.println("Note: this computer's clock is off by about " + Math.round(token.clockOffsetMillis() / 1000.0)
                            + " s from the server's; codes are corrected for it. Please set the clock right.");
                }
                return 0;
            }
            if (outcome instanceof ActivationClient.Outcome.Refused refused) {
                err.println("kagi-token: " + explain(refused));
                return FAILED;
            }
            if (outcome instanceof ActivationClient.Outcome.ClockOff off) {
                err.println("kagi-token: this computer's clock is " + Math.round(off.offsetMillis() / 1000.0)
                        + " s off the bank's (more than " + AnswerAuthentication.MAX_CLOCK_OFFSET.toSeconds()
                        + " s): set it right (automatic time) "
                        + (off.afterFinish() ? "and issue a token again on the PC; nothing was stored"
                        : "and run activate again; the activation password was not used"));
                return FAILED;
            }
            if (outcome instanceof ActivationClient.Outcome.AnswerNotAuthentic) {
                err.println("kagi-token: the bank's answer was altered on the way (it does not verify);"
                        + " nothing was stored: issue a token again on the PC");
                return FAILED;
            }
            err.println("kagi-token: the server could not prove that it holds this token; nothing was stored");
            return FAILED;
        }

        private String explain(ActivationClient.Outcome.Refused refused) {
            return switch (refused.code()) {
                case "wrong-activation-password" -> "the activation password is wrong"
                        + (refused.attemptsLeft() >= 0 ? "; " + refused.attemptsLeft() + " more wrong attempts void the token" : "");
                case "activation-voided" -> "this token was voided (too many wrong passwords, or issued again); issue a token again on the PC";
                case "activation-expired" -> "this token was not activated within its time and has expired; issue a token again on the PC";
                case "already-activated" -> "this token was activated already; to set it up again, issue a token again on the PC";
                case "token-not-found" -> "no token waits for activation with this サービスID and ユーザID (check the IDs;"
                        + " a token activated already is set up again by issuing a token again on the PC)";
                case "too-many-requests" -> "too many attempts; try again later"
                        + (refused.retryAfter() != null ? " (in " + refused.retryAfter() + " s)" : "");
                case "activation-session-expired" -> "the exchange took too long or another one finished first; run activate again";
                case "update-required" -> "this kagi-token is too old for the bank's server; update it";
                default -> "the server refused the activation (" + refused.status() + " " + refused.code() + ")";
            };
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tokens kept here.")
    final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Optional<TokenStore> store = openStore(false);
            List<StoredToken> tokens = store.map(TokenStore::tokens).orElse(List.of());
            if (tokens.isEmpty()) {
                out.println("No tokens. Activate one with: kagi-token activate --server URL --service-id ID --user-id ID");
                return 0;
            }
            out.printf("%-10s %-8s %-14s %-20s %s%n", "SERVICE", "USER", "PARAMETERS", "ACTIVATED", "NAME");
            for (StoredToken token : tokens) {
                out.printf("%-10s %-8s %-14s %-20s %s%n", token.serviceId(), token.userId(), token.parameters().canonical(),
                        TIME.format(token.activatedAt().atZone(ZoneId.systemDefault())), token.serviceName());
            }
            return 0;
        }
    }

    @Command(name = "code", mixinStandardHelpOptions = true, description = "Prints the current one-time password (of the one token, or of --service-id).")
    final class Code implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--service-id", description = "サービスID of the token, when several are kept")
        String serviceId;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<TokenStore> store = openStore(false);
            List<StoredToken> tokens = store.isPresent() ? synchronise(store.get(), err) : List.of();
            Instant now = clock.instant();
            if (serviceId != null) {
                Optional<StoredToken> token = tokens.stream().filter(t -> t.serviceId().equals(serviceId)).findFirst();
                if (token.isEmpty()) {
                    err.println("kagi-token: no token of service " + serviceId);
                    return FAILED;
                }
                out.println(token.get().codeAt(now));
                return 0;
            }
            if (tokens.isEmpty()) {
                err.println("kagi-token: no tokens; activate one first");
                return FAILED;
            }
            if (tokens.size() == 1) {
                out.println(tokens.get(0).codeAt(now));
                return 0;
            }
            for (StoredToken token : tokens) {
                out.printf("%s %s %2ds %s%n", token.serviceId(), token.codeAt(now), token.secondsLeft(now), token.serviceName());
            }
            return 0;
        }
    }

    /**
     * Measures the clock offset again and learns each token's state from the bank, under the
     * token's status key, where it can be reached; warns while this computer's clock is off and
     * about tokens that no longer work. Unreachable: the last offset stays.
     */
    List<StoredToken> synchronise(TokenStore store, PrintWriter err) throws IOException, InterruptedException {
        boolean changed = false;
        for (StoredToken token : store.tokens()) {
            if (token.server() == null || token.statusKey() == null) {
                continue;
            }
            Optional<ActivationClient.Status> status = new ActivationClient(URI.create(token.server()), clock).status(token);
            if (status.isPresent()) {
                store.remove(token.serviceId());
                store.add(token.withStatus(status.get().offsetMillis(), status.get().state()));
                changed = true;
            }
        }
        if (changed) {
            store.save();
        }
        for (StoredToken token : store.tokens()) {
            if (Math.abs(token.clockOffsetMillis()) > CLOCK_WARNING_MILLIS) {
                err.println("kagi-token: this computer's clock is " + Math.round(token.clockOffsetMillis() / 1000.0)
                        + " s off the bank's (" + token.serviceId() + "); codes are corrected for it. Please set it right.");
            }
            if (!"active".equals(token.state())) {
                err.println("kagi-token: the bank says the token of " + token.serviceName() + " (サービスID "
                        + token.serviceId() + ") is " + token.state() + (("locked".equals(token.state()))
                        ? "; ask your administrator or the bank to unlock it" : "; its codes no longer work")
                        + ". Remove it with: kagi-token remove --service-id " + token.serviceId());
            }
        }
        return store.tokens();
    }

    /** The clock offset beyond which the token warns (half a 60 s step). */
    static final long CLOCK_WARNING_MILLIS = 30_000;

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "取引認証コード (トランザクション認証): prints the 8-digit code bound to the payee's account number "
                    + "and the amount shown on the PC (docs/transaction-signing.md).")
    final class Sign implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--service-id", description = "サービスID of the token, when several are kept")
        String serviceId;

        @Option(names = "--account", required = true, description = "The payee's account number, as the PC shows it (digits)")
        String account;

        @Option(names = "--amount", description = "The amount in yen (digits; commas and 円 are dropped); leave out for a payee registration")
        String amount;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String typedAccount = account.strip();
            String typedAmount = amount == null ? null : amount.strip().replace(",", "").replace("円", "");
            if (!typedAccount.matches("[0-9]{1,20}") || (typedAmount != null && !typedAmount.matches("[0-9]{1,20}"))) {
                err.println("kagi-token: --account and --amount are digits (e.g. --account 1234567 --amount 150000)");
                return 2;
            }
            Optional<TokenStore> store = openStore(false);
            List<StoredToken> tokens = store.isPresent() ? synchronise(store.get(), err) : List.of();
            List<StoredToken> chosen = serviceId == null ? tokens
                    : tokens.stream().filter(t -> t.serviceId().equals(serviceId)).toList();
            if (chosen.size() != 1) {
                err.println(chosen.isEmpty()
                        ? "kagi-token: no token" + (serviceId == null ? "s; activate one first" : " of service " + serviceId)
                        : "kagi-token: several tokens are kept; name one with --service-id");
                return FAILED;
            }
            StoredToken token = chosen.get(0);
            String canonical = io.kagi.activation.TransactionSignature.offline(typedAccount, typedAmount);
            out.println(io.kagi.activation.TransactionSignature.response(token.seed(), token.parameters().algorithm(),
                    io.kagi.activation.TransactionSignature.question(canonical), token.correctedTime(clock.instant())));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a token from this computer.")
    final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--service-id", required = true, description = "サービスID of the token to remove")
        String serviceId;

        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean confirmed;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<TokenStore> opened = openStore(false);
            Optional<StoredToken> token = opened.flatMap(store -> store.find(serviceId));
            if (token.isEmpty()) {
                err.println("kagi-token: no token of service " + serviceId);
                return FAILED;
            }
            if (!confirmed) {
                if (console == null) {
                    err.println("kagi-token: add --yes to remove without a terminal to confirm");
                    return FAILED;
                }
                String answer = console.readLine("Remove the token of %s (サービスID %s)? It cannot be restored. [y/N] ",
                        token.get().serviceName(), serviceId);
                if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                    out.println("Nothing removed.");
                    return FAILED;
                }
            }
            TokenStore store = opened.get();
            store.remove(serviceId);
            store.save();
            out.println("Removed the token of " + token.get().serviceName() + " (サービスID " + serviceId + ").");
            return 0;
        }
    }
}
