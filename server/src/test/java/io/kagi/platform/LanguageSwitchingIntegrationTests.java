package io.kagi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.kagi.test.KagiIntegrationTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code ?lang=} and the language cookie take only the supported languages: a tag's language
 * decides, and anything else (another language, a long or malformed tag, a forged cookie) falls
 * back to Japanese instead of being kept or failing.
 */
@KagiIntegrationTest
class LanguageSwitchingIntegrationTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @ParameterizedTest
    @CsvSource({
            "en, en, Login ID",
            "en-US, en, Login ID",
            "en-GB-x-private-use, en, Login ID",
            "ja, ja, ログインID",
            "ja-JP-u-ca-japanese-nu-jpanfin, ja, ログインID",
            "fr, ja, ログインID",
            "zh-Hant-TW-u-nu-hanidec-x-aaaaaaaa-bbbbbbbb, ja, ログインID",
            "!!not a tag!!, ja, ログインID"
    })
    void onlyJapaneseAndEnglishAreTakenFromTheParameter(String tag, String language, String label) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/bizweb/login?lang=" + URLEncoder.encode(tag, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("lang=\"" + language + "\"", label);
        page.headers().allValues("Set-Cookie").stream().filter(cookie -> cookie.startsWith("KAGILANG="))
                .forEach(cookie -> assertThat(cookie).startsWith("KAGILANG=" + language + ";"));
    }

    @ParameterizedTest
    @CsvSource({
            "en-US, en",
            "ja-JP-u-ca-japanese-nu-jpanfin, ja",
            "de, ja",
            "x, ja"
    })
    void theCookieIsReadTheSameWay(String cookie, String language) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bizweb/login"))
                .header("Cookie", "KAGILANG=" + cookie).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("lang=\"" + language + "\"");
    }
}
