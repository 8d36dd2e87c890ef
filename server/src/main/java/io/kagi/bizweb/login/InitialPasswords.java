package io.kagi.bizweb.login;

import java.util.Optional;

import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.confirmation.Execution;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * BPWD001, the change of an initial password an administrator gave: a one-time form, so that the
 * change and its audit row happen once however often the form is sent.
 */
@Component
class InitialPasswords {

    static final String STEP = "password-change";

    private final ConfirmedWork work;
    private final Colleagues colleagues;

    InitialPasswords(ConfirmedWork work, Colleagues colleagues) {
        this.work = work;
        this.colleagues = colleagues;
    }

    /** What the form changes: the signed-in user's own initial password. */
    record Change(long userId) {
    }

    String open(PortalAccount user, String address) {
        return work.hold(user, address, STEP, new Change(user.id()));
    }

    /** Replaces the initial password, once; {@link Execution.ChangedMeanwhile} when it was changed already. */
    @Transactional
    Execution<Change, Boolean> change(PortalAccount user, String address, String formToken, String newPassword) {
        return work.executeWithoutCode(user, address, STEP, formToken, Change.class,
                change -> colleagues.changeInitialPassword(user, newPassword, address) ? Optional.of(true) : Optional.empty());
    }
}
