package io.kagi.console;

import java.util.List;
import java.util.Optional;

import io.kagi.authority.ApiSecret;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.ServiceDetails;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;
import io.kagi.console.RelyingParties.ApiSecretChange;

import org.springframework.stereotype.Component;

/**
 * Issuing or rotating a relying party's API secret under dual control: confirmed by one supervisor,
 * carried out when a second one approves. The waiting operation holds the service and the secret's
 * version only; the secret itself is made at the approval and shown once, to the approver, who
 * hands it to the service's staff (never stored in clear, not in the waiting change either).
 */
@Component
class ApiSecretApproval implements ApprovalKind<ApiSecretChange> {

    private final Services services;

    ApiSecretApproval(Services services) {
        this.services = services;
    }

    @Override
    public String name() {
        return "service-secret";
    }

    @Override
    public Class<ApiSecretChange> operationType() {
        return ApiSecretChange.class;
    }

    @Override
    public List<PendingChanges.Fact> facts(ApiSecretChange change) {
        return List.of(PendingChanges.Fact.message("console.pending.action", change.rotation()
                        ? "console.service.secret.rotate.title" : "console.service.secret.issue.title"),
                PendingChanges.Fact.text("console.service.serviceId", change.serviceId()),
                PendingChanges.Fact.text("console.service.name", services.details(new ServiceId(change.serviceId()))
                        .map(ServiceDetails::name).orElse("-")));
    }

    /** Whether the service's secret is still the one the change was confirmed against. */
    boolean asConfirmed(ApiSecretChange change) {
        return services.details(new ServiceId(change.serviceId()))
                .map(service -> service.apiSecretVersion() == change.expectedVersion()).orElse(false);
    }

    /** Issues or rotates the secret as {@code by}; empty when it is no longer at the expected version. */
    Optional<ApiSecret> carryOut(ApiSecretChange change, ClientInfo by) {
        return services.issueApiSecret(new ServiceId(change.serviceId()), change.expectedVersion(), by);
    }

    @Override
    public PendingChanges.Applied apply(ApiSecretChange change, String maker, OperatorAccount approver, String address) {
        return carryOut(change, new ClientInfo(approver.actor(), address))
                .map(secret -> PendingChanges.Applied.secret("console.service.secret.approved", secret))
                .orElseGet(() -> PendingChanges.Applied.of("console.service.secret.changedMeanwhile"));
    }
}
