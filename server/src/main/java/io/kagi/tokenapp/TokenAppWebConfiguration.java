package io.kagi.tokenapp;

import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the token app at {@code /app/}: {@code /app} redirects there, {@code /app/} is the app's
 * {@code index.html}, and the web app manifest goes out as {@code application/manifest+json}.
 * The service worker lives at {@code /app/sw.js}, so its scope {@code /app/} needs no extra header.
 */
@Configuration(proxyBeanMethods = false)
class TokenAppWebConfiguration implements WebMvcConfigurer {

    static final String MANIFEST_TYPE = "application/manifest+json";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/app", "/app/");
        registry.addViewController("/app/").setViewName("forward:/app/index.html");
    }

    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> webAppManifestType() {
        return factory -> {
            MimeMappings mappings = new MimeMappings();
            mappings.add("webmanifest", MANIFEST_TYPE);
            factory.addMimeMappings(mappings);
        };
    }
}
