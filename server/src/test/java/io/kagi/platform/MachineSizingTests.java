package io.kagi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class MachineSizingTests {

    @Test
    void fourRequestThreadsACoreAndTwoConnectionsMore() {
        assertThat(MachineSizing.defaults(1)).containsEntry(MachineSizing.REQUEST_THREADS, 4)
                .containsEntry(MachineSizing.DB_CONNECTIONS, 6);
        assertThat(MachineSizing.defaults(2)).containsEntry(MachineSizing.REQUEST_THREADS, 8)
                .containsEntry(MachineSizing.DB_CONNECTIONS, 10);
        assertThat(MachineSizing.defaults(16)).containsEntry(MachineSizing.REQUEST_THREADS, 64)
                .containsEntry(MachineSizing.DB_CONNECTIONS, 66);
    }

    @Test
    void theSizesAreDefaultsThatConfigurationOverrides() {
        StandardEnvironment environment = new StandardEnvironment();
        new MachineSizing().postProcessEnvironment(environment, new SpringApplication());
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(environment.resolvePlaceholders("${KAGI_HTTP_THREADS:${kagi.sizing.request-threads}}"))
                .isEqualTo(Integer.toString(Math.max(4, 4 * cores)));

        environment.getPropertySources().addFirst(new MapPropertySource("configured",
                Map.of("KAGI_HTTP_THREADS", "50", "kagi.sizing.db-connections", "7")));
        assertThat(environment.resolvePlaceholders("${KAGI_HTTP_THREADS:${kagi.sizing.request-threads}}")).isEqualTo("50");
        assertThat(environment.getProperty("kagi.sizing.db-connections")).isEqualTo("7");
    }
}
