package io.kagi.bizweb;

import java.util.Locale;

import io.kagi.authority.ClientInfo;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;
import io.kagi.authority.SigningPolicy;
import io.kagi.authority.TransactionSigning;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Registers the portal as a service of the token authority at start-up, once. */
@Component
class PortalServiceRegistration implements ApplicationRunner {

    private final Services services;
    private final BizwebProperties properties;
    private final TransactionSigning signing;

    PortalServiceRegistration(Services services, BizwebProperties properties, TransactionSigning signing) {
        this.services = services;
        this.properties = properties;
        this.signing = signing;
    }

    @Override
    public void run(ApplicationArguments args) {
        services.ensureRegistered(new ServiceId(properties.serviceId()), properties.serviceName());
        String policy = properties.transactionSigning();
        if (policy != null && !policy.isBlank()) {
            // KAGI_BIZWEB_TRANSACTION_SIGNING: totp-only, transfers, transfers-and-payees (audited when it changes).
            signing.changePolicy(new ServiceId(properties.serviceId()),
                    SigningPolicy.valueOf(policy.strip().toUpperCase(Locale.ROOT).replace('-', '_')),
                    new ClientInfo("system", null));
        }
    }
}
