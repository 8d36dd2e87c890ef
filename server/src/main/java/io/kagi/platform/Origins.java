package io.kagi.platform;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which origin a request came to, and the public address of each. The token app keeps its key in
 * the phone browser's storage of its origin, so no page of the portal, the console or the mailbox
 * may run on that origin (a script there could use the key): the app is served on an origin of its
 * own — a port of its own ({@code kagi.app.port}, 8082 by default; {@code 0} picks a free one, for
 * tests), or, behind a proxy, a host name of its own ({@code kagi.app.public-url} with a host other
 * than the portal's and {@code kagi.app.port=-1}). The console may likewise get a port of its own
 * ({@code kagi.console.port}, off by default: a bank's internal network). {@link OriginSeparation}
 * answers 404 to anything asked on the wrong origin.
 */
@Component
public class Origins {

    /** The areas that may live on an origin of their own. */
    public enum Area { PORTAL, APP, CONSOLE }

    private final BankProperties bank;
    private final int configuredAppPort;
    private final String configuredAppUrl;
    private final int configuredConsolePort;
    private volatile int appPort = -1;
    private volatile int consolePort = -1;

    public Origins(BankProperties bank, @Value("${kagi.app.port:8082}") int appPort,
            @Value("${kagi.app.public-url:}") String appUrl, @Value("${kagi.console.port:-1}") int consolePort) {
        this.bank = bank;
        this.configuredAppPort = appPort;
        this.configuredAppUrl = trimmed(appUrl);
        this.configuredConsolePort = consolePort;
    }

    int configuredAppPort() {
        return configuredAppPort;
    }

    int configuredConsolePort() {
        return configuredConsolePort;
    }

    /** Called once the connectors listen: the ports they actually got. */
    void listening(int app, int console) {
        this.appPort = app;
        this.consolePort = console;
    }

    /** The token app's address, e.g. {@code http://localhost:8082/app/}: what mails and pages link to. */
    public String appUrl() {
        return appOrigin() + "/app/";
    }

    /** The token app's origin (scheme, host and port), without a trailing slash. */
    public String appOrigin() {
        if (!configuredAppUrl.isEmpty()) {
            return configuredAppUrl;
        }
        URI portal = URI.create(bank.publicUrl());
        int port = appPort > 0 ? appPort : configuredAppPort;
        return portal.getScheme() + "://" + portal.getHost() + (port > 0 ? ":" + port : "");
    }

    /** The console's origin when it has a port of its own. */
    public Optional<String> consoleOrigin() {
        if (consolePort <= 0) {
            return Optional.empty();
        }
        URI portal = URI.create(bank.publicUrl());
        return Optional.of(portal.getScheme() + "://" + portal.getHost() + ":" + consolePort);
    }

    /** The area whose origin {@code request} came to. */
    public Area areaOf(HttpServletRequest request) {
        int local = request.getLocalPort();
        if (appPort > 0 && local == appPort) {
            return Area.APP;
        }
        if (consolePort > 0 && local == consolePort) {
            return Area.CONSOLE;
        }
        Optional<String> appHost = appHostOfItsOwn();
        if (appHost.isPresent() && appHost.get().equals(request.getServerName().toLowerCase(Locale.ROOT))) {
            return Area.APP;
        }
        return Area.PORTAL;
    }

    /** Whether the token app has an origin apart from the portal's (always, unless misconfigured). */
    boolean appSeparated() {
        return appPort > 0 || appHostOfItsOwn().isPresent();
    }

    boolean consoleSeparated() {
        return consolePort > 0;
    }

    /** The app's host name when it differs from the portal's (a host split behind a proxy). */
    private Optional<String> appHostOfItsOwn() {
        if (configuredAppUrl.isEmpty()) {
            return Optional.empty();
        }
        String host = URI.create(configuredAppUrl).getHost();
        String portalHost = URI.create(bank.publicUrl()).getHost();
        return host == null || host.equalsIgnoreCase(portalHost) ? Optional.empty() : Optional.of(host.toLowerCase(Locale.ROOT));
    }

    private static String trimmed(String url) {
        String value = url == null ? "" : url.strip();
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
