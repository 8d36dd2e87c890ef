package io.kagi.console;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kagi.test.KagiIntegrationTest;
import io.kagi.test.TestTokenDevice;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** CSES001: an operator sees their console sessions and ends another one. */
@KagiIntegrationTest
@Import(ConsoleTestData.ClockConfig.class)
class ConsoleSessionsIntegrationTests extends ConsoleChangeTestSupport {

    private static final Pattern END_FORM = Pattern.compile("name=\"session\" value=\"([^\"]+)\"");

    @Test
    void anOperatorSeesTheirSessionsAndEndsAnother() {
        long id = data.operator("sessop01", "operator2024pw", "OPERATOR");
        TestTokenDevice device = ConsoleTestData.operatorToken(tokens, url(""), id);
        ConsoleClient desk = new ConsoleClient(url(""));
        desk.logInWithOtp("sessop01", "operator2024pw", device, clock);
        ConsoleClient other = new ConsoleClient(url(""));
        other.logInWithOtp("sessop01", "operator2024pw", device, clock);

        String page = desk.page("/console/sessions");
        assertThat(page).contains("CSES001", "127.0.0.1", "この端末", "href=\"/console/sessions\"");
        Matcher end = END_FORM.matcher(page);
        assertThat(end.find()).isTrue();
        String otherSession = end.group(1);
        assertThat(end.find()).as("only the other session can be ended here").isFalse();

        HttpResponse<String> ended = desk.submit("/console/sessions/end", page, Map.of("session", otherSession));

        assertThat(ConsoleClient.location(ended)).endsWith("/console/sessions");
        assertThat(desk.page("/console/sessions")).contains("選択した端末のログインを終了しました。").doesNotContain(otherSession);
        assertThat(ConsoleClient.location(other.get("/console"))).endsWith("/console/login");
    }
}
