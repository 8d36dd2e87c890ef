package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenStatus;
import io.kagi.authority.Tokens;
import io.kagi.authority.UserId;
import io.kagi.bizweb.CustomerAdministration;
import io.kagi.bizweb.CustomerAdministration.CustomerUser;
import io.kagi.bizweb.CustomerAdministration.UnlockOutcome;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users and tokens (CUSR): finding customers' users and any service's token, and the bank's
 * changes to them after a confirm screen and a fresh OTP: unlocking a master user's login,
 * allowing a portal user a new token after a revocation, and — under dual control, taking effect
 * when a second supervisor approves ({@link TokenActionApproval}) — unlocking a master user's token
 * or revoking (失効) a token. The change or the waiting change, its audit row ({@code LOGIN_UNLOCKED},
 * {@code TOKEN_REISSUE_ALLOWED}, {@code CHANGE_PROPOSED}) and the use of the form and the code commit
 * together or not at all.
 */
@Service
public class CustomerUsers {

    static final String ACTION = "user-action";

    private final CustomerAdministration customers;
    private final OperatorConfirmations confirmations;
    private final PendingChanges pending;
    private final TokenActionApproval tokenActions;
    private final Tokens tokens;

    CustomerUsers(CustomerAdministration customers, OperatorConfirmations confirmations, PendingChanges pending,
                  TokenActionApproval tokenActions, Tokens tokens) {
        this.tokens = tokens;
        this.customers = customers;
        this.confirmations = confirmations;
        this.pending = pending;
        this.tokenActions = tokenActions;
    }

    /** The changes CUSR002 makes. */
    public enum Action { UNLOCK_LOGIN, UNLOCK_TOKEN, REVOKE_TOKEN, ALLOW_REISSUE }

    /**
     * A change as confirmed: {@code user} for {@link Action#UNLOCK_LOGIN}, {@code serviceId} and
     * {@code userId} (the token's サービスID and ユーザID) for the others.
     */
    public record UserAction(Action action, Long user, String serviceId, String userId) {
        public UserAction {
            if (action == null) {
                throw new IllegalArgumentException("An action is required");
            }
            if (action == Action.UNLOCK_LOGIN ? user == null
                    : serviceId == null || userId == null || !serviceId.matches("[0-9]{8}") || !userId.matches("[0-9]{6}")) {
                throw new IllegalArgumentException("A user, or a token's service ID and user ID, is required");
            }
        }
    }

    /** A customer's user (null for another service's account) and their token (null when none). */
    public record Found(CustomerUser user, ServiceId serviceId, AccountRef account, TokenStatus token) {
    }

    public ServiceId portalService() {
        return customers.portalService();
    }

    /** The users of a company and/or with a login ID starting so, with their portal tokens. */
    public List<Found> users(Long companyId, String loginId, int limit) {
        ServiceId portal = customers.portalService();
        return customers.users(companyId, loginId, limit).stream()
                .map(user -> new Found(user, portal, user.tokenAccount(), customers.tokenStatus(user).orElse(null)))
                .toList();
    }

    public Optional<CustomerUser> user(long id) {
        return customers.user(id);
    }

    /**
     * A user's detail (CUSR003): the user with the login lock and mail address, the company (and
     * whether it is suspended), the portal token (null when none) and when it last gave an accepted
     * code (null when never).
     */
    public record UserDetail(CustomerUser user, CustomerAdministration.Company company, TokenStatus token,
                             Instant tokenLastUsedAt) {
    }

    @Transactional
    public Optional<UserDetail> detail(long id) {
        return customers.user(id).map(user -> new UserDetail(user, customers.company(user.companyId()).orElseThrow(),
                customers.tokenStatus(user).orElse(null),
                tokens.lastUsedAt(customers.portalService(), user.tokenAccount()).orElse(null)));
    }

    /** The account holding this ユーザID at {@code service}, with its token and, for the portal, its user. */
    public Optional<Found> token(ServiceId service, UserId userId) {
        return tokenActions.token(service, userId);
    }

    /** Whether {@code action} takes effect only when a second supervisor approves it. */
    public static boolean underDualControl(Action action) {
        return TokenActionApproval.covers(action);
    }

    public String holdAction(OperatorAccount operator, String address, UserAction action) {
        return confirmations.hold(operator, address, ACTION, action);
    }

    /**
     * Carries out the confirmed action, or records it as waiting for a second supervisor when it is
     * under dual control; the result is the console message key of what became of it.
     */
    @Transactional
    public Execution<UserAction, String> execute(OperatorAccount operator, String address, String formToken,
                                                 String code) {
        return confirmations.carryOut(operator, address, ACTION, formToken, code, UserAction.class,
                action -> change(operator, address, action));
    }

    private String change(OperatorAccount operator, String address, UserAction action) {
        if (action.action() == Action.UNLOCK_LOGIN) {
            UnlockOutcome unlocked = customers.unlockMasterLogin(action.user(), operator.actor(), address);
            return "console.user.outcome.login." + unlocked.name();
        }
        if (TokenActionApproval.covers(action.action())) {
            Optional<String> refused = tokenActions.refusal(action);
            if (refused.isPresent()) {
                return refused.get();
            }
            pending.propose(tokenActions, action, operator, address);
            return "console.pending.proposed";
        }
        // ALLOW_REISSUE
        boolean allowed = token(new ServiceId(action.serviceId()), new UserId(action.userId())).map(Found::user)
                .map(user -> customers.allowTokenReissue(user.id(), operator.actor(), address)).orElse(false);
        return "console.user.outcome.ALLOW_REISSUE." + allowed;
    }
}
