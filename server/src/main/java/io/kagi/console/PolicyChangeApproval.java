package io.kagi.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kagi.authority.ClientInfo;
import io.kagi.authority.ServiceDetails;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;
import io.kagi.authority.TransactionSigning;
import io.kagi.console.RelyingParties.PolicyChange;
import io.kagi.console.RelyingParties.PolicyTerms;

import org.springframework.stereotype.Component;

/**
 * A relying party's policy change (its rules and its 取引認証 policy) under dual control: confirmed
 * (before → after) by one supervisor, carried out when a second one approves, and only if the
 * policy is still the one it was confirmed against (otherwise the approver is told it changed
 * meanwhile and nothing happens).
 */
@Component
class PolicyChangeApproval implements ApprovalKind<PolicyChange> {

    private final Services services;
    private final TransactionSigning signing;

    PolicyChangeApproval(Services services, TransactionSigning signing) {
        this.services = services;
        this.signing = signing;
    }

    @Override
    public String name() {
        return "service-policy";
    }

    @Override
    public Class<PolicyChange> operationType() {
        return PolicyChange.class;
    }

    @Override
    public List<PendingChanges.Fact> facts(PolicyChange change) {
        List<PendingChanges.Fact> facts = new ArrayList<>();
        facts.add(PendingChanges.Fact.text("console.service.serviceId", change.serviceId()));
        facts.add(PendingChanges.Fact.text("console.service.name", services.details(new ServiceId(change.serviceId()))
                .map(ServiceDetails::name).orElse("-")));
        Map<String, String> before = change.before().rules();
        change.after().rules().forEach((label, after) -> {
            if (!after.equals(before.get(label))) {
                facts.add(PendingChanges.Fact.text(label, before.get(label) + " → " + after));
            }
        });
        if (change.changesSigning()) {
            facts.add(PendingChanges.Fact.message("console.service.signing.before",
                    "console.service.signing." + change.signingBefore().name()));
            facts.add(PendingChanges.Fact.message("console.service.signing.after",
                    "console.service.signing." + change.signingAfter().name()));
        }
        return facts;
    }

    /** Whether the service's policy (and 取引認証 policy) is still the one the change was confirmed against. */
    boolean asConfirmed(PolicyChange change) {
        ServiceId service = new ServiceId(change.serviceId());
        return services.details(service)
                .map(details -> PolicyTerms.of(details.policy()).equals(change.before())).orElse(false)
                && (change.signingBefore() == null || signing.policy(service) == change.signingBefore());
    }

    /** Carries out the change as {@code by}; empty when the policy is no longer {@code before}. */
    Optional<ServiceDetails> carryOut(PolicyChange change, ClientInfo by) {
        ServiceId service = new ServiceId(change.serviceId());
        if (!services.changePolicy(service, change.before().toPolicy(), change.signingBefore(), change.after().toPolicy(),
                change.signingAfter(), by)) {
            return Optional.empty();
        }
        return services.details(service);
    }

    @Override
    public PendingChanges.Applied apply(PolicyChange change, String maker, OperatorAccount approver, String address) {
        return carryOut(change, new ClientInfo(approver.actor(), address)).isPresent()
                ? PendingChanges.Applied.of("console.service.policyChanged")
                : PendingChanges.Applied.of("console.service.policy.changedMeanwhile");
    }
}
