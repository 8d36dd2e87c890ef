package io.kagi.console;

import io.kagi.confirmation.Execution;

import java.util.Optional;

import io.kagi.platform.MailAddresses;
import io.kagi.signin.PasswordPolicy;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operators' life (COPR), each change after a confirm screen and the supervisor's fresh OTP: adding
 * an operator or an auditor (a temporary password, shown once, to be replaced at the first login),
 * adding a supervisor (under dual control once the bank has two supervisors: a second supervisor
 * approves, {@link SupervisorAddition}; the lone first supervisor adds the second one directly),
 * resetting a password (a temporary one again), unlocking, disabling and enabling. And every
 * operator's change of their own password (the current one required, the new one after
 * {@link PasswordPolicy}). Each change and its audit row commit together with the use of the form.
 */
@Service
public class OperatorAdministration {

    static final String ADD = "operator-add";
    static final String CHANGE = "operator-change";
    static final String OWN_PASSWORD = "operator-own-password";

    private final Operators operators;
    private final OperatorConfirmations confirmations;
    private final PendingChanges pending;
    private final SupervisorAddition supervisors;

    OperatorAdministration(Operators operators, OperatorConfirmations confirmations, PendingChanges pending,
                           SupervisorAddition supervisors) {
        this.operators = operators;
        this.confirmations = confirmations;
        this.pending = pending;
        this.supervisors = supervisors;
    }

    /** An operator to add, as confirmed. */
    public record NewOperator(String loginId, String displayName, String mailAddress, OperatorAccount.Role role) {

        /** A login ID: 3 to 32 letters, digits, {@code .}, {@code _}, {@code -}. */
        public static boolean isLoginId(String loginId) {
            return loginId != null && loginId.matches("[A-Za-z0-9._-]{3,32}");
        }

        public NewOperator {
            if (!isLoginId(loginId) || displayName == null || displayName.isBlank() || displayName.length() > 60
                    || !MailAddresses.isValid(mailAddress) || role == null) {
                throw new IllegalArgumentException("A login ID, a name, a mail address and a role are required");
            }
        }
    }

    /** What became of adding an operator. */
    public sealed interface Addition {

        /** Added; {@code temporaryPassword} is shown once and never stored in clear. */
        record Added(String loginId, String temporaryPassword) implements Addition {
            @Override
            public String toString() {
                return "Added[loginId=" + loginId + ", temporaryPassword=(hidden)]";
            }
        }

        /** A supervisor: waiting for a second supervisor's approval as change {@code changeId}. */
        record AwaitingApproval(long changeId) implements Addition {
        }

        /** The login ID was taken meanwhile: nothing was added. */
        record LoginIdTaken() implements Addition {
        }
    }

    /** The changes of an existing operator. */
    public enum Action { RESET_PASSWORD, UNLOCK, DISABLE, ENABLE }

    /** A change of operator {@code operatorId} as confirmed. */
    public record OperatorChange(long operatorId, Action action) {
        public OperatorChange {
            if (action == null) {
                throw new IllegalArgumentException("An action is required");
            }
        }
    }

    /**
     * What became of a change: {@code messageKey}, and for a reset the temporary password shown once
     * ({@code temporaryPassword}, otherwise null).
     */
    public record Changed(String messageKey, String temporaryPassword) {
        @Override
        public String toString() {
            return "Changed[messageKey=" + messageKey + ", temporaryPassword="
                    + (temporaryPassword == null ? "none" : "(hidden)") + "]";
        }
    }

    /** An operator's own password change (what is held for the form: nothing secret). */
    public record OwnPassword(long operatorId) {
    }

    public boolean loginIdTaken(String loginId) {
        return operators.exists(loginId);
    }

    public String holdAddition(OperatorAccount supervisor, String address, NewOperator operator) {
        return confirmations.hold(supervisor, address, ADD, operator);
    }

    /** Adds the confirmed operator, or for a supervisor records the addition as waiting for approval. */
    @Transactional
    public Execution<NewOperator, Addition> add(OperatorAccount supervisor, String address, String formToken,
                                                String code) {
        return confirmations.carryOut(supervisor, address, ADD, formToken, code, NewOperator.class, operator -> {
            if (operators.exists(operator.loginId())) {
                return new Addition.LoginIdTaken();
            }
            // Dual control needs two supervisors: the bank's first supervisor adds the second one alone.
            if (operator.role() == OperatorAccount.Role.SUPERVISOR && operators.activeSupervisors() >= 2) {
                return new Addition.AwaitingApproval(pending.propose(supervisors, operator, supervisor, address).changeId());
            }
            return new Addition.Added(operator.loginId(), operators.create(operator.loginId(), operator.displayName(),
                    operator.mailAddress(), operator.role(), supervisor.actor(), address));
        });
    }

    public String holdChange(OperatorAccount supervisor, String address, OperatorChange change) {
        return confirmations.hold(supervisor, address, CHANGE, change);
    }

    /** Carries out the confirmed change of another operator (never of the supervisor themselves). */
    @Transactional
    public Execution<OperatorChange, Changed> change(OperatorAccount supervisor, String address, String formToken,
                                                     String code) {
        return confirmations.carryOut(supervisor, address, CHANGE, formToken, code, OperatorChange.class, change -> {
            if (change.operatorId() == supervisor.id()) {
                return new Changed("console.operators.notYourself", null);
            }
            String actor = supervisor.actor();
            String outcome = "console.operators.outcome." + change.action().name() + ".";
            return switch (change.action()) {
                case RESET_PASSWORD -> operators.resetPassword(change.operatorId(), actor, address)
                        .map(password -> new Changed(outcome + "true", password))
                        .orElseGet(() -> new Changed(outcome + "false", null));
                case UNLOCK -> new Changed(outcome + operators.unlock(change.operatorId(), actor, address), null);
                case DISABLE -> new Changed(outcome + operators.disable(change.operatorId(), actor, address), null);
                case ENABLE -> new Changed(outcome + operators.enable(change.operatorId(), actor, address), null);
            };
        });
    }

    public String holdOwnPassword(OperatorAccount operator, String address) {
        return confirmations.hold(operator, address, OWN_PASSWORD, new OwnPassword(operator.id()));
    }

    /**
     * Changes the operator's own password (a one-step form: the current password is the proof, no
     * code is asked); the caller has checked {@code newPassword} against {@link PasswordPolicy}.
     * Empty when the form was already sent.
     */
    @Transactional
    public Optional<Operators.PasswordChange> changeOwnPassword(OperatorAccount operator, String address,
                                                                String formToken, String currentPassword,
                                                                String newPassword) {
        return confirmations.takeWithoutCode(operator, address, OWN_PASSWORD, formToken, OwnPassword.class)
                .map(form -> operators.changePassword(operator, currentPassword, newPassword, address));
    }
}
