package io.kagi.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Headless Debian Chromium driven by Playwright, one browser per test class. Annotate the class
 * {@link BrowserTest} and register with {@code @RegisterExtension static Browser browser = new Browser();}.
 * Skips the class with a printed notice where Chromium is not installed, except under CI, where
 * that fails.
 *
 * <p>Chromium is taken from {@code KAGI_CHROMIUM} or {@code /usr/bin/chromium}; Playwright never
 * downloads a browser of its own.
 */
public final class Browser implements ExecutionCondition, AfterAllCallback {

    /** The JUnit tag of every class using a browser ({@link BrowserTest}). */
    public static final String TAG = "browser";
    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path CHROMIUM = Paths.get(Optional.ofNullable(System.getenv("KAGI_CHROMIUM")).orElse("/usr/bin/chromium"));

    static {
        // Playwright's 5 s for an assertion is too short on a busy two-core machine, where the token
        // app's 2048-bit SRP arithmetic alone can take that long.
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    }

    private Playwright playwright;
    private com.microsoft.playwright.Browser browser;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!context.getTags().contains(TAG)) {
            throw new IllegalStateException(context.getRequiredTestClass().getName() + " uses Browser without @BrowserTest: "
                    + "untagged, it would run in both of the build's test passes");
        }
        if (Files.isExecutable(CHROMIUM)) {
            return ConditionEvaluationResult.enabled("Chromium at " + CHROMIUM);
        }
        if (Environment.isCi()) {
            throw new IllegalStateException("CI=true and Chromium is not installed at " + CHROMIUM
                    + " (apt-get install -y chromium fonts-noto-cjk, or .ci/run)");
        }
        String notice = "NOTICE: skipping browser tests: Chromium is not installed at " + CHROMIUM;
        System.out.println(notice);
        return ConditionEvaluationResult.disabled(notice);
    }

    /** A fresh desktop-sized browser context (its own cookies and storage). */
    public BrowserContext desktop() {
        return browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1280, 900).setLocale("ja-JP").setTimezoneId("Asia/Tokyo"));
    }

    /**
     * A fresh desktop-sized context that presents {@code certificate} to {@code origin} when its TLS handshake asks
     * for one (Playwright's clientCertificates) and accepts the embedded default's self-signed server certificate.
     */
    public BrowserContext desktopPresenting(com.microsoft.playwright.options.ClientCertificate certificate) {
        return browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1280, 900).setLocale("ja-JP").setTimezoneId("Asia/Tokyo")
                .setIgnoreHTTPSErrors(true).setClientCertificates(List.of(certificate)));
    }

    /** A fresh phone-sized, touch-enabled browser context. */
    public BrowserContext phone() {
        return browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true)
                .setLocale("ja-JP").setTimezoneId("Asia/Tokyo"));
    }

    /** Saves a full-page screenshot as {@code target/screenshots/<name>.png} and returns its path. */
    public static Path screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    private synchronized com.microsoft.playwright.Browser browser() {
        if (browser == null) {
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
        }
        return browser;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            playwright.close();
            browser = null;
            playwright = null;
        }
    }
}
