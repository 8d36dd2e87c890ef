package io.kagi.authority;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import io.kagi.test.MutableClock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Shared set-up of the authority's integration tests: a movable clock and fresh services. */
final class AuthorityTestSupport {

    static final ClientInfo PORTAL = new ClientInfo("user:taro01", "192.0.2.10");

    private AuthorityTestSupport() {
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ClockConfig {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2026-11-24T09:30:05Z"));
        }

        @Bean
        PublishedEvents publishedEvents() {
            return new PublishedEvents();
        }
    }

    /** The lifecycle events published on any thread (the activation runs on the server's threads). */
    static class PublishedEvents {

        private final java.util.List<Object> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @org.springframework.context.event.EventListener
        void on(TokenActivated event) {
            events.add(event);
        }

        <T> java.util.List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Registers a service under a fresh random サービスID with this policy. */
    static ServiceId newService(Services services, ServicePolicy policy) {
        ServiceId id;
        do {
            id = new ServiceId(String.format(Locale.ROOT, "%08d", ThreadLocalRandom.current().nextInt(20_000_000, 100_000_000)));
        } while (services.nameOf(id).isPresent());
        services.register(id, "テストサービス " + id, policy);
        return id;
    }

    static IssueResult.Issued issue(Tokens tokens, ServiceId service, AccountRef account, String password) {
        return (IssueResult.Issued) tokens.issue(service, account, account.value() + "@example.jp", password.toCharArray(),
                Locale.JAPANESE, PORTAL);
    }
}
