package io.kagi.console;

import java.util.List;

import io.kagi.console.OperatorAdministration.NewOperator;

import org.springframework.stereotype.Component;

/**
 * Adding a supervisor under dual control: confirmed by one supervisor, created when a second one
 * approves. The temporary password is made at the approval and shown once, to the approver, who
 * hands it over; it must be replaced at the first login.
 */
@Component
class SupervisorAddition implements ApprovalKind<NewOperator> {

    private final Operators operators;

    SupervisorAddition(Operators operators) {
        this.operators = operators;
    }

    @Override
    public String name() {
        return "supervisor-add";
    }

    @Override
    public Class<NewOperator> operationType() {
        return NewOperator.class;
    }

    @Override
    public List<PendingChanges.Fact> facts(NewOperator operator) {
        return List.of(PendingChanges.Fact.message("console.pending.action", "console.operators.add.supervisor"),
                PendingChanges.Fact.text("console.operators.loginId", operator.loginId()),
                PendingChanges.Fact.text("console.operators.name", operator.displayName()),
                PendingChanges.Fact.text("console.operators.mail", operator.mailAddress()),
                PendingChanges.Fact.message("console.operators.role", "console.role." + operator.role().name()));
    }

    @Override
    public PendingChanges.Applied apply(NewOperator operator, String maker, OperatorAccount approver, String address) {
        if (operators.exists(operator.loginId())) {
            return PendingChanges.Applied.of("console.operators.loginIdTaken");
        }
        return new PendingChanges.Applied("console.operators.added",
                operators.create(operator.loginId(), operator.displayName(), operator.mailAddress(), operator.role(),
                        approver.actor(), address));
    }
}
