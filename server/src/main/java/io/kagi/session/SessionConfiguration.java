package io.kagi.session;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.session.web.http.SessionRepositoryFilter;

@Configuration(proxyBeanMethods = false)
@EnableSpringHttpSession
@EnableScheduling
class SessionConfiguration {

    @Bean
    DatabaseSessions sessionRepository(JdbcClient jdbc, Clock clock, SessionTimeout timeout,
                                       @Value("${kagi.sessions.max-lifetime:12h}") Duration maxLifetime) {
        return new DatabaseSessions(jdbc, clock, timeout.getTimeout(), maxLifetime,
                new SessionAttributes(SessionConfiguration.class.getClassLoader()));
    }

    /** Just outside Spring Session's filter, so that its repeated look-ups within a request read the table once. */
    @Bean
    FilterRegistrationBean<SessionMemo> sessionMemo() {
        FilterRegistrationBean<SessionMemo> registration = new FilterRegistrationBean<>(new SessionMemo());
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
        return registration;
    }
}
