package io.kagi.console;

import java.util.List;

/**
 * A kind of console change under dual control ({@link PendingChanges}): confirmed by one operator,
 * it takes effect only when a second operator of {@link #approverRole()} approves it with their own
 * fresh OTP. To put another operation under dual control, write a Spring bean of this interface in
 * {@code io.kagi.console} (its {@link #name()} is the {@code kind} column) and let the area's execute
 * step call {@link PendingChanges#propose} in place of the change.
 *
 * @param <O> the confirmed operation, stored as JSON; it must hold no secret
 */
interface ApprovalKind<O extends Record> {

    /** The kind's name in the table and the audit log, e.g. {@code notice-publish} (at most 40 characters). */
    String name();

    Class<O> operationType();

    /** Who may approve or reject (never the maker); supervisors unless the kind says otherwise. */
    default OperatorAccount.Role approverRole() {
        return OperatorAccount.Role.SUPERVISOR;
    }

    /** What the approval page shows of the waiting operation. */
    List<PendingChanges.Fact> facts(O operation);

    /**
     * Makes the change, with its own audit row, in the approval's transaction; {@code approver} is
     * the operator whose approval makes it take effect. Returns the console message key of what
     * became of it (a target gone meanwhile is an outcome, not an exception).
     */
    PendingChanges.Applied apply(O operation, String maker, OperatorAccount approver, String address);
}
