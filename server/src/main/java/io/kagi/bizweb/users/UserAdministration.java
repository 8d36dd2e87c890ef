package io.kagi.bizweb.users;

import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalSessions;
import io.kagi.bizweb.portal.PortalTokens;

import java.util.Optional;
import java.util.OptionalLong;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.TemporaryPasswords;
import io.kagi.session.UserSessions;
import io.kagi.bizweb.portal.Colleagues.Colleague;
import io.kagi.bizweb.portal.ConfirmedWork.Execution;
import io.kagi.bizweb.users.UserForms.NewUser;
import io.kagi.bizweb.users.UserForms.UserOperation;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * 利用者管理's changes: BUSR003 holds the operation it shows ({@link #hold}); {@link #execute}
 * carries out exactly that, once, with its audit row, after the acting user's fresh OTP. Who may
 * do it to whom is checked again at that moment (a right lost since the confirm screen counts).
 * Locking a user's login ends every session they are logged in to, in the same transaction.
 */
@Component
class UserAdministration {

    static final String STEP = "user-execute";

    private final Colleagues colleagues;
    private final PortalTokens tokens;
    private final ConfirmedWork work;
    private final AuditLog audit;
    private final UserSessions sessions;

    UserAdministration(Colleagues colleagues, PortalTokens tokens, ConfirmedWork work, AuditLog audit, UserSessions sessions) {
        this.colleagues = colleagues;
        this.tokens = tokens;
        this.work = work;
        this.audit = audit;
        this.sessions = sessions;
    }

    /** What BUSR003 confirmed: a new user ({@code ADD}), or one operation on {@code targetId}. */
    record UserChange(UserOperation operation, Long targetId, String loginId, String displayName, String mailAddress,
                      String role, boolean approvalRight) {

        static UserChange addition(NewUser user) {
            return new UserChange(UserOperation.ADD, null, user.loginId(), user.displayName(), user.mailAddress(),
                    user.role(), Boolean.TRUE.equals(user.approvalRight()));
        }

        static UserChange on(UserOperation operation, long targetId, String role, boolean approvalRight) {
            return new UserChange(operation, targetId, null, null, null, role, approvalRight);
        }

        NewUser newUser() {
            return new NewUser(loginId, displayName, mailAddress, role, approvalRight);
        }

        @Override
        public String toString() {
            return "UserChange[" + operation + ", target=" + targetId + "]";
        }
    }

    /** A new user's login ID is taken meanwhile, or the change was made: what the done page shows. */
    record Made(String loginId, String initialPassword) {
        @Override
        public String toString() {
            return "Made[loginId=" + loginId + ", (password hidden)]";
        }
    }

    String hold(PortalAccount user, String address, UserChange change) {
        return work.hold(user, address, STEP, change);
    }

    /**
     * The confirmed change, once, with its audit row; {@code made} receives the new user's initial
     * password (never stored in clear, never put into the session).
     */
    @Transactional
    Execution<UserChange> execute(PortalAccount user, String address, String formToken, String code, Made[] made) {
        return work.execute(user, address, STEP, formToken, code, UserChange.class, change -> {
            Colleague me = colleagues.current(user);
            if (!me.canAdministerUsers()) {
                return OptionalLong.empty();
            }
            if (change.operation() == UserOperation.ADD) {
                String initialPassword = TemporaryPasswords.generate();
                Optional<Long> added = colleagues.add(me.companyId(), change.newUser(), initialPassword);
                if (added.isEmpty()) {
                    return OptionalLong.empty();
                }
                made[0] = new Made(change.loginId(), initialPassword);
                record(user, address, change, change.loginId());
                return OptionalLong.of(added.get());
            }
            Optional<Colleague> target = change.targetId() == null ? Optional.empty()
                    : colleagues.find(me.companyId(), change.targetId());
            if (target.isEmpty() || !me.mayAdminister(target.get())) {
                return OptionalLong.empty();
            }
            long id = target.get().id();
            boolean done = switch (change.operation()) {
                case ADD -> false;
                case ROLE -> UserForms.GRANTABLE_ROLES.contains(change.role())
                        && colleagues.changeRole(me.companyId(), id, change.role(), change.approvalRight());
                case LOCK_LOGIN -> lockLogin(me.companyId(), target.get());
                case UNLOCK_LOGIN -> colleagues.unlockLogin(me.companyId(), id);
                case REVOKE_TOKEN -> tokens.revoke(id, user, address);
                case UNLOCK_TOKEN -> tokens.unlock(id, user, address);
            };
            if (!done) {
                return OptionalLong.empty();
            }
            made[0] = new Made(target.get().loginId(), null);
            record(user, address, change, target.get().loginId());
            return OptionalLong.of(id);
        });
    }

    /** Locks the user's login and ends their sessions: from their next request on, they see the login page. */
    private boolean lockLogin(long companyId, Colleague target) {
        if (!colleagues.lockLogin(companyId, target.id())) {
            return false;
        }
        sessions.endAll(PortalSessions.owner(target.loginId()));
        return true;
    }

    private void record(PortalAccount user, String address, UserChange change, String subjectLogin) {
        AuditEvent event = AuditEvent.of("USER_" + change.operation().name(), user.loginId()).company(user.companyId())
                .subject("user:" + subjectLogin).from(address).detail("factor", "otp");
        if (change.operation() == UserOperation.ADD || change.operation() == UserOperation.ROLE) {
            event = event.detail("role", change.role()).detail("approvalRight",
                    String.valueOf("ADMIN".equals(change.role()) && change.approvalRight()));
        }
        audit.record(event);
    }
}
