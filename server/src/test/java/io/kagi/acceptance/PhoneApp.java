package io.kagi.acceptance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.kagi.test.MutableClock;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token app on a phone-sized browser context whose clock (Playwright's fake clock) stands
 * where the server's {@link MutableClock} stands, moved with it.
 */
final class PhoneApp implements TokenHolder {

    private static final Pattern CODE = Pattern.compile("^\\d{3} \\d{3}$");

    private final BrowserContext phone;
    private final MutableClock clock;
    private final Walkthrough walk;
    private Page page;
    private String appAddress;

    PhoneApp(BrowserContext phone, MutableClock clock, Walkthrough walk) {
        this.phone = phone;
        this.clock = clock;
        this.walk = walk;
        keepClockInStep();
    }

    private void keepClockInStep() {
        phone.clock().setFixedTime(clock.millis());
    }

    @Override
    public void readMail(String section, IssuanceMail mail) {
        // The app's page comes to the front again when the mail closes, and the app then asks the
        // authority for the time: the phone's clock must stand where the server's does by then (the
        // bank's console work moved the server's clock by minutes), or the app learns a false skew.
        keepClockInStep();
        Page mailer = page == null ? (page = phone.newPage()) : phone.newPage();
        mailer.setContent(mailHtml(mail));
        assertThat(mailer.locator("#subject")).hasText(mail.subject());
        walk.screenshot(mailer, section, "mail" + (appAddress == null ? "" : "-" + mail.serviceId()),
                "Phone: 「" + mail.subject() + "」 arrives from " + mail.from() + ": サービスID " + mail.serviceId()
                        + ", ユーザID " + mail.userId() + " and the app's address for smartphones (the decoded message GreenMail received, shown as text)", true);
        if (mailer != page) {
            mailer.close();
        }
    }

    @Override
    public void activateFirst(IssuanceMail mail, String activationPassword) {
        keepClockInStep();
        page.locator("a.app-address").click();
        assertThat(page).hasURL(mail.appAddress());
        appAddress = mail.appAddress();
        assertThat(page.locator("#screen-id")).hasText("TAP001");
        assertThat(page.locator("#setup-heading")).hasText("初期設定");
        // Installable: a manifest and a service worker controlling the app's scope.
        assertThat(page.locator("link[rel=manifest]")).hasAttribute("href", "manifest.webmanifest");
        assertThat(page.evaluate("async () => (await navigator.serviceWorker.ready).scope")).isEqualTo(appAddress);
        walk.screenshot(page, "4", "app-opened",
                "Phone: taps the address in the mail; the token app opens (an installable web app: manifest and service worker) at 初期設定 TAP001");

        fill(mail, activationPassword);
        walk.screenshot(page, "5", "initial-setup",
                "Phone: enters the サービスID and ユーザID from the mail and the 利用開始パスワード chosen on the PC");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("送信")).click();

        assertThat(page.locator("#screen-id")).hasText("TAP002");
        assertThat(page.locator("#done-message")).hasText("かぎ銀行ビジネスWebのトークンを設定しました。");
        walk.screenshot(page, "6", "setup-done", "Phone: 送信 — the token is set (設定完了 TAP002); 次へ shows the code");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
        assertThat(page.locator("#screen-id")).hasText("TAP003");
    }

    @Override
    public String showCode(String section, String serviceId) {
        assertThat(card(serviceId).locator(".service-name")).hasText("かぎ銀行ビジネスWeb");
        assertThat(card(serviceId).locator(".countdown")).hasText(Pattern.compile("あと\\d+秒"));
        String code = code(serviceId);
        walk.screenshot(page, section, "code",
                "Phone: the one-time password " + code + " is shown; it changes every 60 seconds and the bar counts down the time left");
        return code;
    }

    @Override
    public String openLater(String section, String serviceId) {
        keepClockInStep();
        page.close();
        page = phone.newPage();
        page.navigate(appAddress);
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        assertThat(page.locator("#screen-id")).hasText("TAP003");
        String code = code(serviceId);
        walk.screenshot(page, section, "code-a-day-later",
                "Phone, a day later: opens the app; today's code " + code + " is there at once");
        return code;
    }

    @Override
    public void addToken(IssuanceMail mail, String activationPassword) {
        // The server's clock moved while the bank onboarded the service (a fresh code per change): the
        // phone's clock is the same clock, or the app would learn a skew of minutes at this activation.
        keepClockInStep();
        page.bringToFront();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("設定")).click();
        assertThat(page.locator("#screen-id")).hasText("TAP004");
        assertThat(page.locator("#token-list .row")).hasCount(1);
        walk.screenshot(page, "11", "settings", "Phone: opens 設定 (TAP004): the one token on this phone and トークン追加");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("トークン追加")).click();

        assertThat(page.locator("#screen-id")).hasText("TAP005");
        assertThat(page.locator("#setup-heading")).hasText("トークン追加");
        fill(mail, activationPassword);
        walk.screenshot(page, "11", "add-token",
                "Phone: トークン追加 (TAP005) — the same three fields, from the second mail and the password given to " + SecondRelyingParty.NAME);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("送信")).click();

        assertThat(page.locator("#done-message")).hasText(SecondRelyingParty.NAME + "のトークンを設定しました。");
        walk.screenshot(page, "11", "add-token-done", "Phone: 送信 — the second service's token is set");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("次へ")).click();
        assertThat(page.locator(".card")).hasCount(2);
    }

    @Override
    public Map<String, String> showCodes(String section) {
        keepClockInStep();
        page.reload();
        // The app asks the authority for the time as it opens: codes are read once that answer is in.
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        assertThat(page.locator(".card")).hasCount(2);
        Map<String, String> codes = new LinkedHashMap<>();
        for (Locator card : page.locator(".card").all()) {
            codes.put(card.getAttribute("data-service-id"), code(card.getAttribute("data-service-id")));
        }
        walk.screenshot(page, section, "two-codes", "Phone: both services' codes, one card each: " + codes);
        return codes;
    }

    private void fill(IssuanceMail mail, String activationPassword) {
        page.getByLabel("サービスID").fill(mail.serviceId());
        page.getByLabel("ユーザID").fill(mail.userId());
        page.getByLabel("利用開始パスワード").fill(activationPassword);
    }

    private Locator card(String serviceId) {
        return page.locator(".card[data-service-id='" + serviceId + "']");
    }

    private String code(String serviceId) {
        Locator code = card(serviceId).locator(".code");
        assertThat(code).hasText(CODE);
        return code.textContent().replace(" ", "");
    }

    /** The mail as a phone's mailer shows it: sender, subject, the text with its address as a link. */
    private static String mailHtml(IssuanceMail mail) {
        String text = escape(mail.text());
        String address = escape(mail.appAddress());
        text = text.replace(address, "<a class=\"app-address\" href=\"" + address + "\">" + address + "</a>");
        return """
                <!DOCTYPE html>
                <html lang="ja"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <style>
                  body { margin: 0; font-family: "Noto Sans CJK JP", sans-serif; color: #222; }
                  header { background: #eef1f5; padding: 10px 14px; border-bottom: 1px solid #ccd; font-size: 13px; }
                  #subject { font-weight: bold; font-size: 15px; margin-top: 4px; }
                  pre { white-space: pre-wrap; font-family: inherit; font-size: 12px; line-height: 1.45; margin: 0; padding: 10px 14px; }
                </style></head>
                <body><header><div>差出人：%s</div><div id="subject">%s</div></header><pre>%s</pre></body></html>
                """.formatted(escape(mail.from()), escape(mail.subject()), text);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String approveTransfer(String section, String account, String amount) {
        keepClockInStep();
        page.bringToFront();
        page.reload();
        assertThat(page.locator("#screen-id")).hasText("TAP006");
        assertThat(page.locator(".signing-card .signing-account")).hasText("普通 " + account);
        assertThat(page.locator(".signing-card .signing-amount"))
                .hasText(String.format(java.util.Locale.ROOT, "%,d円", Long.parseLong(amount)));
        walk.screenshot(page, section, "signing-request",
                "Phone: opens the app; it fetched the transfer waiting for this token (取引の確認, TAP006): the payee and the amount the bank holds, large");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("承認")).click();
        assertThat(page.locator("#signing-message")).hasText("承認しました。パソコンの画面が自動的に進みます。");
        walk.screenshot(page, section, "signing-approved",
                "Phone: 承認 — the app signs what it showed (OCRA over the transaction's digest) and sends it");
        return null;
    }
}
