package io.kagi.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenState;
import io.kagi.authority.Tokens;
import io.kagi.authority.UserId;
import io.kagi.bizweb.CustomerAdministration;
import io.kagi.console.CustomerUsers.Action;
import io.kagi.console.CustomerUsers.Found;
import io.kagi.console.CustomerUsers.UserAction;

import org.springframework.stereotype.Component;

/**
 * Unlocking or revoking (失効) a token under dual control: confirmed by one supervisor, carried out
 * when a second one approves. The authority's audit row ({@code TOKEN_UNLOCKED}, {@code TOKEN_REVOKED})
 * names the approver.
 */
@Component
class TokenActionApproval implements ApprovalKind<UserAction> {

    private final CustomerAdministration customers;
    private final Tokens tokens;

    TokenActionApproval(CustomerAdministration customers, Tokens tokens) {
        this.customers = customers;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "token-action";
    }

    @Override
    public Class<UserAction> operationType() {
        return UserAction.class;
    }

    /** Whether {@code action} waits for a second supervisor. */
    static boolean covers(Action action) {
        return action == Action.UNLOCK_TOKEN || action == Action.REVOKE_TOKEN;
    }

    /** The account holding this ユーザID at {@code service}, with its token and, for the portal, its user. */
    Optional<Found> token(ServiceId service, UserId userId) {
        return tokens.accountOf(service, userId).map(account -> new Found(
                customers.userOfToken(service, account).orElse(null), service, account,
                tokens.status(service, account).orElse(null)));
    }

    /** Why the action cannot be proposed or carried out now (a console message key), or empty. */
    Optional<String> refusal(UserAction action) {
        Optional<Found> target = token(new ServiceId(action.serviceId()), new UserId(action.userId()));
        if (target.isEmpty() || target.get().token() == null || !applies(action.action(), target.get().token().state())) {
            return Optional.of("console.user.outcome." + action.action().name() + ".false");
        }
        if (action.action() == Action.UNLOCK_TOKEN && target.get().user() != null && !target.get().user().master()) {
            return Optional.of("console.user.outcome.token.NOT_A_MASTER");
        }
        return Optional.empty();
    }

    private static boolean applies(Action action, TokenState state) {
        return action == Action.UNLOCK_TOKEN ? state == TokenState.LOCKED
                : state == TokenState.ACTIVE || state == TokenState.LOCKED || state == TokenState.ISSUED;
    }

    @Override
    public List<PendingChanges.Fact> facts(UserAction action) {
        List<PendingChanges.Fact> facts = new ArrayList<>();
        facts.add(PendingChanges.Fact.message("console.pending.action", "console.user.action." + action.action().name()));
        facts.add(PendingChanges.Fact.text("console.user.serviceId", action.serviceId()));
        facts.add(PendingChanges.Fact.text("console.user.userId", action.userId()));
        token(new ServiceId(action.serviceId()), new UserId(action.userId())).map(Found::user).ifPresent(user -> {
            facts.add(PendingChanges.Fact.text("console.user.company", user.companyName()));
            facts.add(PendingChanges.Fact.text("console.user.loginId", user.loginId()));
            facts.add(PendingChanges.Fact.message("console.user.role", "console.user.role." + user.role()));
        });
        return facts;
    }

    @Override
    public PendingChanges.Applied apply(UserAction action, String maker, OperatorAccount approver, String address) {
        Optional<String> refused = refusal(action);
        if (refused.isPresent()) {
            return PendingChanges.Applied.of(refused.get());
        }
        Found target = token(new ServiceId(action.serviceId()), new UserId(action.userId())).orElseThrow();
        boolean done = action.action() == Action.UNLOCK_TOKEN
                ? tokens.unlock(target.serviceId(), target.account(), OperatorTokens.client(approver, address))
                : tokens.revoke(target.serviceId(), target.account(), OperatorTokens.client(approver, address));
        return PendingChanges.Applied.of("console.user.outcome." + action.action().name() + "." + done);
    }
}
