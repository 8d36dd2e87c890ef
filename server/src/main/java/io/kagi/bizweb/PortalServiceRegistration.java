package io.kagi.bizweb;

import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Registers the portal as a service of the token authority at start-up, once. */
@Component
class PortalServiceRegistration implements ApplicationRunner {

    private final Services services;
    private final BizwebProperties properties;

    PortalServiceRegistration(Services services, BizwebProperties properties) {
        this.services = services;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        services.ensureRegistered(new ServiceId(properties.serviceId()), properties.serviceName());
    }
}
