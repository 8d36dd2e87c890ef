package io.kagi.platform;

import java.time.Duration;
import java.util.Locale;
import java.util.TimeZone;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.SimpleLocaleContext;
import org.springframework.context.i18n.SimpleTimeZoneAwareLocaleContext;
import org.springframework.context.i18n.TimeZoneAwareLocaleContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * Japanese by default; {@code ?lang=en} (or {@code ?lang=ja}) switches and is remembered in a
 * cookie. Only the supported languages are ever taken: a tag's language decides ({@code en-US}
 * is English), and any other language, a malformed tag or a forged cookie falls back to Japanese.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    @Bean
    static org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations literalPrefixHandlerMapping() {
        return LiteralPrefixHandlerMapping.registrations();
    }

    @Bean
    static ApiDocsOnDemand apiDocsOnDemand() {
        return new ApiDocsOnDemand();
    }

    /**
     * Forms validate themselves (their {@code validate(Errors)}); no bean is validated by annotations,
     * so MVC gets a validator that takes no target instead of looking for a Bean Validation provider
     * at every start (Hibernate Validator is left out of the build: its bootstrap cost start-up time,
     * issue 24; without it MVC's default validator would log that no provider was found).
     */
    @Override
    public Validator getValidator() {
        return NoBeanValidation.INSTANCE;
    }

    private enum NoBeanValidation implements Validator {
        INSTANCE;

        @Override
        public boolean supports(Class<?> type) {
            return false;
        }

        @Override
        public void validate(Object target, Errors errors) {
        }
    }

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new SupportedLanguages("KAGILANG");
        resolver.setDefaultLocale(Locale.JAPANESE);
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setCookieHttpOnly(true);
        return resolver;
    }

    /** The cookie resolver, narrowed to Japanese and English both when reading and when switching. */
    static final class SupportedLanguages extends CookieLocaleResolver {

        SupportedLanguages(String cookieName) {
            super(cookieName);
        }

        static Locale supported(Locale locale) {
            return locale != null && Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? Locale.ENGLISH : Locale.JAPANESE;
        }

        @Override
        public Locale resolveLocale(HttpServletRequest request) {
            return supported(super.resolveLocale(request));
        }

        @Override
        public LocaleContext resolveLocaleContext(HttpServletRequest request) {
            LocaleContext resolved = super.resolveLocaleContext(request);
            TimeZone zone = resolved instanceof TimeZoneAwareLocaleContext aware ? aware.getTimeZone() : null;
            return new SimpleTimeZoneAwareLocaleContext(supported(resolved.getLocale()), zone);
        }

        @Override
        public void setLocaleContext(HttpServletRequest request, HttpServletResponse response, LocaleContext context) {
            Locale chosen = context == null ? null : context.getLocale();
            super.setLocaleContext(request, response, chosen == null ? null : new SimpleLocaleContext(supported(chosen)));
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
        interceptor.setParamName("lang");
        interceptor.setIgnoreInvalidLocale(true);
        registry.addInterceptor(interceptor);
    }
}
