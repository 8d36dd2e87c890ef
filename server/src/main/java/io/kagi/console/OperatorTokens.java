package io.kagi.console;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.ServiceId;
import io.kagi.authority.Services;
import io.kagi.authority.TokenStatus;
import io.kagi.authority.Tokens;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The operators' own tokens: the console is the service {@code kagi.console.service-id} at the
 * token authority (registered at start-up), an operator is the account {@code console-operator:<id>}.
 * The console asks for an OTP at every login and on every confirm screen, whatever the policy says.
 */
@Component
@Order(10)
public class OperatorTokens implements ApplicationRunner {

    private final Tokens tokens;
    private final Services services;
    private final ConsoleProperties properties;
    private final ServiceId service;
    private final Clock clock;

    OperatorTokens(Tokens tokens, Services services, ConsoleProperties properties, Clock clock) {
        this.tokens = tokens;
        this.services = services;
        this.properties = properties;
        this.service = new ServiceId(properties.serviceId());
        this.clock = clock;
    }

    /** Where an operator stands with their token. */
    public enum Situation { NONE, PENDING, ACTIVE, LOCKED }

    @Override
    public void run(ApplicationArguments args) {
        services.ensureRegistered(service, properties.serviceName());
    }

    ServiceId service() {
        return service;
    }

    static AccountRef accountOf(OperatorAccount operator) {
        return new AccountRef("console-operator:" + operator.id());
    }

    static ClientInfo client(OperatorAccount operator, String address) {
        return new ClientInfo(operator.actor(), address);
    }

    public Optional<TokenStatus> status(OperatorAccount operator) {
        return tokens.status(service, accountOf(operator));
    }

    public Situation situation(OperatorAccount operator) {
        return status(operator).map(status -> switch (status.state()) {
            case ACTIVE -> Situation.ACTIVE;
            case LOCKED -> Situation.LOCKED;
            case ISSUED -> status.activationDeadline() != null && !clock.instant().isBefore(status.activationDeadline())
                    ? Situation.NONE : Situation.PENDING;
            case REVOKED, VOIDED, EXPIRED -> Situation.NONE;
        }).orElse(Situation.NONE);
    }

    /** Issues a token; the トークン発行のお知らせ goes to the operator's registered mail address. */
    IssueResult issue(OperatorAccount operator, char[] activationPassword, Locale locale, String address) {
        return tokens.issue(service, accountOf(operator), operator.mailAddress(), activationPassword, locale,
                client(operator, address));
    }

    /** Where an operator goes after the password, or when a page needs the OTP factor they lack. */
    public String next(OperatorAccount operator) {
        return switch (situation(operator)) {
            case NONE -> "/console/token/issue";
            case PENDING -> "/console/token/confirm";
            case ACTIVE, LOCKED -> "/console/otp";
        };
    }
}
