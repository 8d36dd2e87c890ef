package io.kagi.console;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.kagi.authority.ApiSecret;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.ServiceDetails;
import io.kagi.authority.ServiceId;
import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.authority.SigningPolicy;
import io.kagi.bizweb.CustomerAdministration;
import io.kagi.confirmation.Confirmations;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Relying parties (CSRV): the services that use this token authority — registering one, changing
 * its policy, issuing and rotating its REST API secret, suspending and resuming it. Each change is
 * one confirmed operation record ({@link ServiceRegistration}, {@link PolicyChange},
 * {@link ApiSecretChange}, {@link SuspensionChange}) held by the confirm screen and carried out by
 * its {@code apply} method after the operator's fresh OTP; the change, its audit row and the use of
 * the form and the code commit together or not at all. An operation that finds its service changed
 * since the confirm screen (another policy, another secret, already suspended) does nothing.
 *
 * <p>Issuing or rotating the API secret and changing the policy are under dual control
 * ({@link ApiSecretApproval}, {@link PolicyChangeApproval}) once the bank has two supervisors.
 */
@Service
public class RelyingParties {

    static final String REGISTER = "service-register";
    static final String POLICY = "service-policy";
    static final String SECRET = "service-secret";
    static final String SUSPENSION = "service-suspension";

    private final Services services;
    private final Confirmations confirmations;
    private final OperatorConfirmations operatorConfirmations;
    private final Operators operators;
    private final PendingChanges pending;
    private final ApiSecretApproval secrets;
    private final PolicyChangeApproval policies;
    private final Set<ServiceId> builtIn;

    RelyingParties(Services services, Confirmations confirmations, OperatorConfirmations operatorConfirmations,
                   ConsoleProperties console, CustomerAdministration customers, Operators operators,
                   PendingChanges pending, ApiSecretApproval secrets, PolicyChangeApproval policies) {
        this.services = services;
        this.confirmations = confirmations;
        this.operatorConfirmations = operatorConfirmations;
        this.operators = operators;
        this.pending = pending;
        this.secrets = secrets;
        this.policies = policies;
        this.builtIn = Set.of(new ServiceId(console.serviceId()), customers.portalService());
    }

    /**
     * A service's policy as an operator types and confirms it, in whole units (stored as JSON in
     * the confirm step); {@link #toPolicy()} applies {@link ServicePolicy}'s rules.
     */
    public record PolicyTerms(String algorithm, int digits, int stepSeconds, int window, int lockThreshold,
                              int activationValidityHours, int revokeCoolingOffMinutes, boolean otpAtLogin) {

        public static PolicyTerms of(ServicePolicy policy) {
            return new PolicyTerms(policy.algorithm(), policy.digits(), (int) policy.step().getSeconds(), policy.window(),
                    policy.lockThreshold(), (int) policy.activationValidity().toHours(),
                    (int) policy.revokeCoolingOff().toMinutes(), policy.otpAtLogin());
        }

        /** The rules as an operator reads them: message key of the label → value, in the form's order. */
        public Map<String, String> rules() {
            Map<String, String> rules = new LinkedHashMap<>();
            rules.put("console.service.algorithm", algorithm);
            rules.put("console.service.digits", String.valueOf(digits));
            rules.put("console.service.stepSeconds", String.valueOf(stepSeconds));
            rules.put("console.service.window", String.valueOf(window));
            rules.put("console.service.lockThreshold", String.valueOf(lockThreshold));
            rules.put("console.service.activationValidityHours", String.valueOf(activationValidityHours));
            rules.put("console.service.revokeCoolingOffMinutes", String.valueOf(revokeCoolingOffMinutes));
            rules.put("console.service.otpAtLogin", otpAtLogin ? "ON" : "OFF");
            return rules;
        }

        public ServicePolicy toPolicy() {
            return new ServicePolicy(algorithm, digits, Duration.ofSeconds(stepSeconds), window, lockThreshold,
                    Duration.ofHours(activationValidityHours), Duration.ofMinutes(revokeCoolingOffMinutes), otpAtLogin);
        }
    }

    /** Registers a service under {@code serviceId} (8 digits) with its name and policy. */
    public record ServiceRegistration(String serviceId, String name, PolicyTerms policy) {
        public ServiceRegistration {
            new ServiceId(serviceId);
            policy.toPolicy();
        }
    }

    /**
     * Replaces the policy {@code before} (what the confirm screen showed) with {@code after}, and the
     * service's 取引認証 policy {@code signingBefore} with {@code signingAfter}
     * (docs/transaction-signing.md). Both signing values null (a change confirmed before the console
     * could change it): the signing policy is neither checked nor changed.
     */
    public record PolicyChange(String serviceId, PolicyTerms before, PolicyTerms after, SigningPolicy signingBefore,
                               SigningPolicy signingAfter) {
        public PolicyChange {
            new ServiceId(serviceId);
            before.toPolicy();
            after.toPolicy();
            if ((signingBefore == null) != (signingAfter == null)) {
                throw new IllegalArgumentException("Both signing policies or neither");
            }
        }

        /** Whether the change sets another 取引認証 policy. */
        public boolean changesSigning() {
            return signingAfter != null && signingAfter != signingBefore;
        }

        /** Whether anything would change. */
        public boolean changesAnything() {
            return !before.equals(after) || changesSigning();
        }
    }

    /**
     * Issues the service's first API secret ({@code expectedVersion} 0) or rotates the one at
     * {@code expectedVersion}; the new secret exists only in the result, never in this record.
     */
    public record ApiSecretChange(String serviceId, int expectedVersion) {
        public ApiSecretChange {
            new ServiceId(serviceId);
        }

        public boolean rotation() {
            return expectedVersion > 0;
        }
    }

    /** Suspends ({@code suspend}) or resumes the service. */
    public record SuspensionChange(String serviceId, boolean suspend) {
        public SuspensionChange {
            new ServiceId(serviceId);
        }
    }

    /**
     * What became of a change under dual control: carried out at once ({@link Now}: the bank has
     * fewer than two active supervisors, so nobody could approve) or waiting for a second
     * supervisor ({@link AwaitingApproval}).
     */
    public sealed interface Outcome<R> {

        record Now<R>(R result) implements Outcome<R> {
        }

        record AwaitingApproval<R>(long changeId) implements Outcome<R> {
        }
    }

    public List<ServiceDetails> list() {
        return services.list();
    }

    public Optional<ServiceDetails> find(ServiceId serviceId) {
        return services.details(serviceId);
    }

    /**
     * Whether the service is one of this application's own (the console's, the portal's): those
     * verify their codes in-process, not through the API, so they are never suspended (suspending
     * the console's would lock every operator out).
     */
    public boolean builtIn(ServiceId serviceId) {
        return builtIn.contains(serviceId);
    }

    public String hold(OperatorAccount operator, String address, ServiceRegistration registration) {
        return operatorConfirmations.hold(operator, address, REGISTER, registration);
    }

    public String hold(OperatorAccount operator, String address, PolicyChange change) {
        return operatorConfirmations.hold(operator, address, POLICY, change);
    }

    public String hold(OperatorAccount operator, String address, ApiSecretChange change) {
        return operatorConfirmations.hold(operator, address, SECRET, change);
    }

    /** Holds the suspension or resume; empty (nothing held) for a {@linkplain #builtIn built-in} service. */
    public Optional<String> hold(OperatorAccount operator, String address, SuspensionChange change) {
        if (builtIn(new ServiceId(change.serviceId()))) {
            return Optional.empty();
        }
        return Optional.of(operatorConfirmations.hold(operator, address, SUSPENSION, change));
    }

    /** Registers the confirmed service, once; the result is false when its サービスID was taken meanwhile. */
    @Transactional
    public Execution<ServiceRegistration, Boolean> register(OperatorAccount operator, String address, String formToken,
                                                           String code) {
        return operatorConfirmations.carryOut(operator, address, REGISTER, formToken, code, ServiceRegistration.class,
                registration -> apply(registration, client(operator, address)));
    }

    /**
     * Changes the policy, or (from the bank's second supervisor on) records the change as waiting
     * for another supervisor's approval ({@link PolicyChangeApproval}); changed meanwhile when the
     * policy is no longer the one confirmed.
     */
    @Transactional
    public Execution<PolicyChange, Outcome<ServiceDetails>> changePolicy(OperatorAccount operator, String address,
                                                                        String formToken, String code) {
        return execute(operator, address, POLICY, formToken, code, PolicyChange.class,
                change -> underDualControl(policies, change, policies.asConfirmed(change), operator, address,
                        () -> apply(change, client(operator, address))));
    }

    /**
     * Issues or rotates the API secret, or (from the bank's second supervisor on) records it as
     * waiting for another supervisor, who then sees the secret ({@link ApiSecretApproval}); the
     * {@link ApiSecret} in the result is shown once and kept nowhere.
     */
    @Transactional
    public Execution<ApiSecretChange, Outcome<ApiSecret>> changeApiSecret(OperatorAccount operator, String address,
                                                                         String formToken, String code) {
        return execute(operator, address, SECRET, formToken, code, ApiSecretChange.class,
                change -> underDualControl(secrets, change, secrets.asConfirmed(change), operator, address,
                        () -> apply(change, client(operator, address))));
    }

    /**
     * Dual control needs two supervisors: while the bank has fewer than two active ones, the change
     * is made at once (as the first supervisor adds the second, {@link OperatorAdministration});
     * otherwise it waits, unless what it applies to changed since the confirm screen.
     */
    private <O extends Record, R> Optional<Outcome<R>> underDualControl(ApprovalKind<O> kind, O operation,
                                                                        boolean asConfirmed, OperatorAccount operator,
                                                                        String address, Supplier<Optional<R>> now) {
        if (operators.activeSupervisors() < 2) {
            return now.get().map(Outcome.Now::new);
        }
        if (!asConfirmed) {
            return Optional.empty();
        }
        return Optional.of(new Outcome.AwaitingApproval<>(pending.propose(kind, operation, operator, address).changeId()));
    }

    @Transactional
    public Execution<SuspensionChange, ServiceDetails> changeSuspension(OperatorAccount operator, String address,
                                                                       String formToken, String code) {
        return execute(operator, address, SUSPENSION, formToken, code, SuspensionChange.class,
                change -> apply(change, client(operator, address)));
    }

    /** Carries out a registration as {@code by} in the caller's transaction: true when registered. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean apply(ServiceRegistration registration, ClientInfo by) {
        return services.register(new ServiceId(registration.serviceId()), registration.name(),
                registration.policy().toPolicy(), by);
    }

    /** Carries out a policy change as {@code by}; empty when the policy is no longer {@code before}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ServiceDetails> apply(PolicyChange change, ClientInfo by) {
        return policies.carryOut(change, by);
    }

    /** Issues or rotates the API secret as {@code by}; empty when the secret is no longer at the expected version. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ApiSecret> apply(ApiSecretChange change, ClientInfo by) {
        return secrets.carryOut(change, by);
    }

    /** Suspends or resumes as {@code by}; empty when it is in that state already (or built in). */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ServiceDetails> apply(SuspensionChange change, ClientInfo by) {
        ServiceId service = new ServiceId(change.serviceId());
        if (builtIn(service)) {
            return Optional.empty();
        }
        boolean changed = change.suspend() ? services.suspend(service, by) : services.resume(service, by);
        return changed ? services.details(service) : Optional.empty();
    }

    private <O extends Record, R> Execution<O, R> execute(OperatorAccount operator, String address, String step,
                                                          String formToken, String code, Class<O> type,
                                                          java.util.function.Function<O, Optional<R>> change) {
        return confirmations.execute(operatorConfirmations.confirmer(operator, address), step, formToken, code, type,
                change);
    }

    private static ClientInfo client(OperatorAccount operator, String address) {
        return new ClientInfo(operator.actor(), address);
    }
}
