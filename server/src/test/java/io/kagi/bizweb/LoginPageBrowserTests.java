package io.kagi.bizweb;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.kagi.test.Browser;
import io.kagi.test.BrowserTest;
import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

@KagiIntegrationTest
@BrowserTest
class LoginPageBrowserTests {

    @RegisterExtension
    static Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Test
    void showsTheLoginScreenInJapaneseAndSwitchesToEnglish() {
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            page.navigate("http://localhost:" + port + "/");

            assertThat(page.locator(".screen-id")).hasText("BLGI001");
            assertThat(page.locator("h1")).hasText("ログイン");
            assertThat(page.getByLabel("ログインID")).isVisible();
            Browser.screenshot(page, "BLGI001-login-ja");

            page.getByText("English").click();

            assertThat(page.locator("h1")).hasText("Log in");
            assertThat(page.locator(".screen-id")).hasText("BLGI001");
            Browser.screenshot(page, "BLGI001-login-en");
        }
    }

    @Test
    void refusesAnUnknownLoginWithAClearMessage() {
        try (BrowserContext context = browser.desktop()) {
            Page page = context.newPage();
            page.navigate("http://localhost:" + port + "/bizweb/login");

            page.getByLabel("ログインID").fill("nobody01");
            page.getByLabel("ログインパスワード").fill("wrong-password");
            page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("ログイン")).click();

            assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
                    .hasText("ログインIDまたはログインパスワードが正しくありません。");
        }
    }
}
