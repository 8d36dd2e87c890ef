package io.kagi.tokenapp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Clock;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;
import io.kagi.authority.Tokens;
import io.kagi.authority.VerificationResult;
import io.kagi.test.Browser;
import io.kagi.test.BrowserTest;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token app on a phone-sized headless Chromium against the running server: activation over
 * the real SRP exchange, the code the authority accepts, the countdown's rollover, a second
 * service, a duplicate refused, offline use through the service worker, a key no script can read.
 */
@KagiIntegrationTest
@BrowserTest
class TokenAppBrowserTests {

    static final ServiceId BANK = new ServiceId("31000001");
    static final ServiceId SECURITIES = new ServiceId("31000002");
    static final ClientInfo PORTAL = new ClientInfo("test:tokenapp", "192.0.2.20");
    private static final Pattern SECONDS_LEFT = Pattern.compile("あと(\\d+)秒");

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    io.kagi.platform.Origins origins;

    @Autowired
    Tokens tokens;

    @Autowired
    Services services;

    @BeforeEach
    void registerServices() {
        services.ensureRegistered(BANK, "かぎ銀行ビジネスWeb");
        services.ensureRegistered(SECURITIES, "かぎ証券オンライン");
    }

    /** A token issued for a fresh account of the service, waiting for activation. */
    record Issued(ServiceId serviceId, AccountRef account, String userId, String password) {
    }

    Issued issue(ServiceId serviceId, String password) {
        AccountRef account = new AccountRef("app-" + UUID.randomUUID().toString().substring(0, 12));
        IssueResult result = tokens.issue(serviceId, account, "hanako@example.jp", password.toCharArray(), Locale.JAPANESE, PORTAL);
        assertThat(result).isInstanceOf(IssueResult.Issued.class);
        return new Issued(serviceId, account, ((IssueResult.Issued) result).userId().digits(), password);
    }

    /** The token app, on its own origin (not the portal's). */
    String app() {
        return origins.appUrl();
    }

    static void fillSetup(Page page, Issued token) {
        fillSetup(page, token.serviceId().digits(), token.userId(), token.password());
    }

    static void fillSetup(Page page, String serviceId, String userId, String password) {
        page.getByLabel("サービスID").fill(serviceId);
        page.getByLabel("ユーザID").fill(userId);
        page.getByLabel("利用開始パスワード").fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("送信")).click();
    }

    /** Opens the app, activates the first token through 初期設定 and goes on to the codes. */
    Page activateFirst(BrowserContext context, Issued token) {
        Page page = context.newPage();
        page.navigate(app());
        assertThat(page.locator("#screen-id")).hasText("TAP001");
        fillSetup(page, token);
        assertThat(page.locator("#screen-id")).hasText("TAP002");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
        assertThat(page.locator("#screen-id")).hasText("TAP003");
        return page;
    }

    static Locator card(Page page, ServiceId serviceId) {
        return page.locator(".card[data-service-id='" + serviceId.digits() + "']");
    }

    static String shownCode(Page page, ServiceId serviceId) {
        Locator code = card(page, serviceId).locator(".code");
        assertThat(code).hasText(Pattern.compile("^\\d{3} \\d{3}$"));
        return code.textContent().replace(" ", "");
    }

    static int secondsLeft(Page page, ServiceId serviceId) {
        Matcher matcher = SECONDS_LEFT.matcher(card(page, serviceId).locator(".countdown").textContent());
        assertThat(matcher.find()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    VerificationResult verify(Issued token, String code) {
        return tokens.verify(token.serviceId(), token.account(), code, PORTAL);
    }

    @Test
    void activatesThroughInitialSetupAndShowsTheCodeTheServerExpects() {
        Issued token = issue(BANK, "12345678");
        try (BrowserContext context = browser.phone()) {
            Page page = context.newPage();
            page.navigate(app());

            assertThat(page.locator("#setup-heading")).hasText("初期設定");
            Browser.screenshot(page, "TAP001-setup");
            fillSetup(page, token);

            assertThat(page.locator("#screen-id")).hasText("TAP002");
            assertThat(page.locator("#done-message")).hasText("かぎ銀行ビジネスWebのトークンを設定しました。");
            Browser.screenshot(page, "TAP002-done");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();

            assertThat(page.locator("#screen-id")).hasText("TAP003");
            assertThat(card(page, BANK).locator(".service-name")).hasText("かぎ銀行ビジネスWeb");
            assertThat(card(page, BANK).locator(".countdown")).hasText(SECONDS_LEFT);
            assertThat(page.locator("#clock-warning")).isHidden();
            Browser.screenshot(page, "TAP003-code");

            String code = shownCode(page, BANK);
            assertThat(verify(token, code)).isInstanceOf(VerificationResult.Accepted.class);
        }
    }

    @Test
    void copiesTheCodeWhenTapped() {
        Issued token = issue(BANK, "12345678");
        try (BrowserContext context = browser.phone()) {
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
            Page page = activateFirst(context, token);
            String code = shownCode(page, BANK);

            card(page, BANK).locator(".code-button").tap();

            assertThat(page.locator("#toast")).hasText("コピーしました");
            assertThat(page.evaluate("() => navigator.clipboard.readText()")).isEqualTo(code);
        }
    }

    @Test
    void theCountdownRollsOverToTheNextCodeWhenTheStepEnds() {
        Issued token = issue(BANK, "2468");
        try (BrowserContext context = browser.phone()) {
            context.clock().install(new Clock.InstallOptions().setTime(Instant.now().toEpochMilli()));
            Page page = activateFirst(context, token);
            String first = shownCode(page, BANK);
            int left = secondsLeft(page, BANK);
            assertThat(left).isBetween(1, 60);

            page.clock().fastForward(left * 1000L);

            assertThat(card(page, BANK).locator(".countdown")).hasText(Pattern.compile("あと(60|59|58)秒"));
            assertThat(card(page, BANK).locator(".code")).not().hasText(first.substring(0, 3) + " " + first.substring(3));
            String next = shownCode(page, BANK);
            assertThat(next).isNotEqualTo(first);
            Browser.screenshot(page, "TAP003-code-after-rollover");
            // The phone is now up to one step ahead of the server: still inside the accepted window.
            assertThat(verify(token, next)).isInstanceOf(VerificationResult.Accepted.class);
        }
    }

    @Test
    void addsASecondServicesTokenInSettingsAndRefusesASecondTokenOfTheSameService() {
        Issued bank = issue(BANK, "1111");
        Issued securities = issue(SECURITIES, "22222222");
        Issued secondBankAccount = issue(BANK, "3333");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, bank);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();
            assertThat(page.locator("#screen-id")).hasText("TAP004");
            assertThat(page.locator("#token-list .row")).hasCount(1);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("トークン追加")).click();
            assertThat(page.locator("#screen-id")).hasText("TAP005");
            assertThat(page.locator("#setup-heading")).hasText("トークン追加");
            Browser.screenshot(page, "TAP005-add-token");
            fillSetup(page, securities);
            assertThat(page.locator("#done-message")).hasText("かぎ証券オンラインのトークンを設定しました。");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();

            assertThat(page.locator(".card")).hasCount(2);
            assertThat(card(page, SECURITIES).locator(".service-name")).hasText("かぎ証券オンライン");
            Browser.screenshot(page, "TAP003-two-codes");
            assertThat(verify(bank, shownCode(page, BANK))).isInstanceOf(VerificationResult.Accepted.class);
            assertThat(verify(securities, shownCode(page, SECURITIES))).isInstanceOf(VerificationResult.Accepted.class);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("トークン追加")).click();
            fillSetup(page, secondBankAccount);

            assertThat(page.getByRole(AriaRole.ALERT)).containsText("サービスID 31000001 のトークンは、すでにこの端末に登録されています");
            Browser.screenshot(page, "TAP005-duplicate-refused");
            // Refused on the phone: the second account's token was not spent and still waits.
            assertThat(tokens.status(BANK, secondBankAccount.account()).orElseThrow().state()).isEqualTo(io.kagi.authority.TokenState.ISSUED);
        }
    }

    @Test
    void removesATokenAfterConfirmation() {
        Issued bank = issue(BANK, "1111");
        Issued securities = issue(SECURITIES, "2222");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, bank);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("トークン追加")).click();
            fillSetup(page, securities);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();
            assertThat(page.locator("#token-list .row")).hasCount(2);
            Browser.screenshot(page, "TAP004-settings");

            Locator row = page.locator("#token-list .row[data-service-id='31000002']");
            row.getByRole(AriaRole.BUTTON).click();
            assertThat(page.locator("#remove-dialog")).isVisible();
            assertThat(page.locator("#remove-message")).hasText("かぎ証券オンライン（サービスID 31000002）のトークンを削除しますか？");
            Browser.screenshot(page, "TAP004-remove-confirm");
            page.locator("#remove-cancel").click();
            assertThat(page.locator("#token-list .row")).hasCount(2);

            row.getByRole(AriaRole.BUTTON).click();
            page.locator("#remove-confirm").click();

            assertThat(page.locator("#settings-message")).hasText("かぎ証券オンラインのトークンを削除しました。");
            assertThat(page.locator("#token-list .row")).hasCount(1);
            page.reload();
            assertThat(page.locator(".card")).hasCount(1);
            assertThat(card(page, BANK)).isVisible();
        }
    }

    @Test
    void showsCodesAfterAnOfflineReload() {
        Issued token = issue(BANK, "5678");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, token);
            page.waitForFunction("() => navigator.serviceWorker.controller !== null");

            context.setOffline(true);
            page.reload();

            assertThat(page.locator("#offline")).isVisible();
            assertThat(card(page, BANK).locator(".service-name")).hasText("かぎ銀行ビジネスWeb");
            String code = shownCode(page, BANK);
            Browser.screenshot(page, "TAP003-offline");
            assertThat(verify(token, code)).isInstanceOf(VerificationResult.Accepted.class);

            // Activation needs the network: the app says so instead of failing silently.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("トークン追加")).click();
            fillSetup(page, issue(SECURITIES, "5678"));
            assertThat(page.getByRole(AriaRole.ALERT)).hasText("ネットワークに接続できません。通信できる場所でもう一度送信してください。");
        }
    }

    @Test
    void noScriptCanReadTheStoredSeedBack() {
        Issued token = issue(BANK, "9876");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, token);

            Object outcome = page.evaluate("""
                    async () => {
                      const db = await new Promise((resolve, reject) => {
                        const request = indexedDB.open('kagi-token');
                        request.onsuccess = () => resolve(request.result);
                        request.onerror = () => reject(request.error);
                      });
                      const record = await new Promise((resolve, reject) => {
                        const request = db.transaction('tokens').objectStore('tokens').getAll();
                        request.onsuccess = () => resolve(request.result[0]);
                        request.onerror = () => reject(request.error);
                      });
                      const fields = Object.keys(record).sort().join(',');
                      try {
                        await crypto.subtle.exportKey('raw', record.key);
                        return 'exported';
                      } catch (e) {
                        return [e.name, String(record.key instanceof CryptoKey), String(record.key.extractable),
                                record.key.usages.join(','), String(record.statusKey.extractable), fields].join('|');
                      }
                    }
                    """);

            assertThat(outcome).isEqualTo("InvalidAccessError|true|false|sign|false|activatedAt,algorithm,clockCheckedAt,"
                    + "clockOffsetMillis,digits,key,period,serviceId,serviceName,state,statusKey,userId");
        }
    }

    @Test
    void correctsASlowPhoneClockWarnsAboutItAndStopsCorrectingOnceTheClockIsFixed() {
        Issued token = issue(BANK, "13579");
        try (BrowserContext context = browser.phone()) {
            context.clock().install(new Clock.InstallOptions().setTime(Instant.now().minus(Duration.ofMinutes(4)).toEpochMilli()));
            Page page = activateFirst(context, token);

            assertThat(page.locator("#clock-warning")).isVisible();
            assertThat(page.locator("#clock-warning")).containsText("端末の時計が約240秒ずれています");
            Browser.screenshot(page, "TAP003-clock-warning");

            // The customer sets the phone's clock right and opens the app again.
            page.clock().setSystemTime(Instant.now().toEpochMilli());
            page.reload();
            assertThat(page.locator("body[data-synced='true']")).hasCount(1);

            assertThat(page.locator("#clock-warning")).isHidden();
            assertThat(verify(token, shownCode(page, BANK))).as("the code of the fixed clock, not corrected by 4 minutes")
                    .isInstanceOf(VerificationResult.Accepted.class);
        }
    }

    @Test
    void refusesAPhoneClockSixMinutesOffBeforeThePasswordIsUsed() {
        Issued token = issue(BANK, "97531");
        try (BrowserContext context = browser.phone()) {
            context.clock().install(new Clock.InstallOptions().setTime(Instant.now().plus(Duration.ofMinutes(6)).toEpochMilli()));
            Page page = context.newPage();
            page.navigate(app());
            fillSetup(page, token);

            assertThat(page.getByRole(AriaRole.ALERT)).containsText("端末の時計がサーバの時刻と約6分ずれています");
            context.clock().setSystemTime(Instant.now().toEpochMilli());
            fillSetup(page, token);
            assertThat(page.locator("#screen-id")).hasText("TAP002");
        }
    }

    @Test
    void saysOnTheCardThatTheTokenWasRevokedAndOffersToRemoveIt() {
        Issued token = issue(BANK, "24680");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, token);
            tokens.revoke(BANK, token.account(), PORTAL);

            page.reload();

            assertThat(card(page, BANK).locator(".token-state")).containsText("このトークンは失効しました");
            Browser.screenshot(page, "TAP003-revoked");
            card(page, BANK).locator(".remove-ended").click();
            page.locator("#remove-confirm").click();
            assertThat(page.locator("#screen-id")).hasText("TAP001");
        }
    }

    @Test
    void offersToReplaceATokenThatANewIssueReplaced() {
        Issued token = issue(BANK, "24680");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, token);
            Issued again = issue(token.account(), "86420");

            page.reload();
            assertThat(card(page, BANK).locator(".token-state")).containsText("新しいトークンの発行により無効になりました");
            page.locator("#open-settings").click();
            page.locator("#add-token").click();
            fillSetup(page, again);
            assertThat(page.locator("#remove-message")).containsText("新しいトークンで置き換えますか");
            page.locator("#remove-confirm").click();

            assertThat(page.locator("#screen-id")).hasText("TAP002");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
            assertThat(card(page, BANK).locator(".token-state")).isHidden();
            assertThat(verify(again, shownCode(page, BANK))).isInstanceOf(VerificationResult.Accepted.class);
        }
    }

    /** The same account's token issued again (the earlier one is voided as replaced). */
    Issued issue(AccountRef account, String password) {
        IssueResult result = tokens.issue(BANK, account, "hanako@example.jp", password.toCharArray(), Locale.JAPANESE, PORTAL);
        assertThat(result).isInstanceOf(IssueResult.Issued.class);
        return new Issued(BANK, account, ((IssueResult.Issued) result).userId().digits(), password);
    }

    @Test
    void tellsAWrongActivationPasswordWithTheAttemptsLeftAndAVoidedToken() {
        Issued token = issue(BANK, "1234");
        try (BrowserContext context = browser.phone()) {
            Page page = context.newPage();
            page.navigate(app());
            fillSetup(page, token.serviceId().digits(), token.userId(), "4321");

            assertThat(page.getByRole(AriaRole.ALERT))
                    .hasText("利用開始パスワードが正しくありません。あと4回間違えると、このトークンは無効になります。");
            assertThat(page.getByLabel("利用開始パスワード")).hasValue("");
            Browser.screenshot(page, "TAP001-wrong-password");

            tokens.voidPending(BANK, token.account(), PORTAL);
            fillSetup(page, token);
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("このトークンは無効になりました");
        }
    }

    @Test
    void tellsThatATokenWasActivatedAlready() {
        Issued token = issue(BANK, "8642");
        try (BrowserContext first = browser.phone(); BrowserContext second = browser.phone()) {
            activateFirst(first, token);

            Page page = second.newPage();
            page.navigate(app());
            fillSetup(page, token);

            assertThat(page.getByRole(AriaRole.ALERT)).containsText("利用開始を待つトークンがありません");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("すでに利用開始したトークンをもう一度設定するには");
        }
    }

    @Test
    void checksTheFieldsOnThePhoneBeforeSending() {
        try (BrowserContext context = browser.phone()) {
            Page page = context.newPage();
            page.navigate(app());
            fillSetup(page, "1234", "12345", "12");

            assertThat(page.locator("#service-id-error")).hasText("サービスIDは半角数字8桁で入力してください。");
            assertThat(page.locator("#user-id-error")).hasText("ユーザIDは半角数字6桁で入力してください。");
            assertThat(page.locator("#password-error")).hasText("利用開始パスワードは半角数字4〜8桁で入力してください。");
            Browser.screenshot(page, "TAP001-field-errors");
        }
    }

    @Test
    void switchesToEnglishInSettingsAndRemembersIt() {
        Issued token = issue(BANK, "2468");
        try (BrowserContext context = browser.phone()) {
            Page page = activateFirst(context, token);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("English")).click();

            assertThat(page.locator("#settings h2")).hasText("Settings");
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add token"))).isVisible();
            Browser.screenshot(page, "TAP004-settings-en");
            page.reload();
            assertThat(card(page, BANK).locator(".countdown")).hasText(Pattern.compile("\\d+ s left"));
            Browser.screenshot(page, "TAP003-code-en");
        }
    }

    @Test
    void isAnInstallableWebAppWithAServiceWorkerForItsScope() {
        try (BrowserContext context = browser.phone()) {
            Page page = context.newPage();
            page.navigate(origins.appOrigin() + "/app");
            assertThat(page).hasURL(app());

            APIResponse manifest = page.request().get(app() + "manifest.webmanifest");
            assertThat(manifest.status()).isEqualTo(200);
            assertThat(manifest.headers().get("content-type")).startsWith("application/manifest+json");
            assertThat(manifest.text()).contains("\"display\": \"standalone\"").contains("\"start_url\": \"/app/\"");
            for (String icon : List.of("icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-512.png")) {
                APIResponse response = page.request().get(app() + icon);
                assertThat(response.status()).as(icon).isEqualTo(200);
                assertThat(response.headers().get("content-type")).as(icon).isEqualTo("image/png");
            }
            Object scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope");
            assertThat(scope).isEqualTo(app());
        }
    }
}
