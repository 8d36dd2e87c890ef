package io.kagi.bizweb.users;

import io.kagi.bizweb.portal.Colleagues;
import io.kagi.bizweb.portal.ConfirmedWork;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalSessions;
import io.kagi.bizweb.portal.PortalTokens;

import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.TemporaryPasswords;
import io.kagi.session.UserSessions;
import io.kagi.bizweb.portal.Colleagues.Colleague;
import io.kagi.confirmation.Execution;
import io.kagi.bizweb.users.UserForms.NewUser;
import io.kagi.bizweb.users.UserForms.UserOperation;

import org.springframework.context.i18n.LocaleContextHolder;
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
    private final io.kagi.mail.Outbox outbox;
    private final io.kagi.platform.BankTime bankTime;
    private final java.time.Clock clock;
    private final UserSessions sessions;

    UserAdministration(Colleagues colleagues, PortalTokens tokens, ConfirmedWork work, AuditLog audit,
                       io.kagi.mail.Outbox outbox, io.kagi.platform.BankTime bankTime, java.time.Clock clock,
                       UserSessions sessions) {
        this.outbox = outbox;
        this.bankTime = bankTime;
        this.clock = clock;
        this.sessions = sessions;
        this.colleagues = colleagues;
        this.tokens = tokens;
        this.work = work;
        this.audit = audit;
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

    /**
     * What a change made, for the done page: the user it applies to, and a new user's initial
     * password (shown once on that page, never stored in clear, never put into the session).
     */
    record Made(long userId, String loginId, String initialPassword) {
        @Override
        public String toString() {
            return "Made[userId=" + userId + ", loginId=" + loginId + ", (password hidden)]";
        }
    }

    String hold(PortalAccount user, String address, UserChange change) {
        return work.hold(user, address, STEP, change);
    }

    /** The confirmed change, once, with its audit row. */
    @Transactional
    Execution<UserChange, Made> execute(PortalAccount user, String address, String formToken, String code) {
        return work.execute(user, address, STEP, formToken, code, UserChange.class, change -> {
            Colleague me = colleagues.current(user);
            if (!me.canAdministerUsers()) {
                return Optional.empty();
            }
            if (change.operation() == UserOperation.ADD) {
                String initialPassword = TemporaryPasswords.generate();
                Optional<Long> added = colleagues.add(me.companyId(), me.id(), change.newUser(), initialPassword);
                if (added.isEmpty()) {
                    return Optional.empty();
                }
                record(user, address, change, change.loginId());
                userAdded(me, change);
                return Optional.of(new Made(added.get(), change.loginId(), initialPassword));
            }
            Optional<Colleague> target = change.targetId() == null ? Optional.empty()
                    : colleagues.find(me.companyId(), change.targetId());
            if (target.isEmpty() || !me.mayAdminister(target.get())) {
                return Optional.empty();
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
                case ALLOW_REISSUE -> tokens.allowReissue(id, LocaleContextHolder.getLocale());
            };
            if (!done) {
                return Optional.empty();
            }
            record(user, address, change, target.get().loginId());
            return Optional.of(new Made(id, target.get().loginId(), null));
        });
    }

    /**
     * 利用者追加のお知らせ (docs/security.md T17): the company's master, every other administrator and
     * the new user's own address learn who added whom with which rights — so that an identity made
     * by one administrator alone is seen by someone else. No password is in it.
     */
    private void userAdded(Colleague creator, UserChange change) {
        java.util.Map<String, String> recipients = new java.util.LinkedHashMap<>();
        for (Colleague other : colleagues.ofCompany(creator.companyId())) {
            if (other.canAdministerUsers() && other.id() != creator.id()) {
                recipients.putIfAbsent(other.mailAddress().toLowerCase(java.util.Locale.ROOT), other.displayName());
            }
        }
        recipients.putIfAbsent(change.mailAddress().toLowerCase(java.util.Locale.ROOT), change.displayName().strip());
        recipients.forEach((recipient, name) -> outbox.send("user-added", LocaleContextHolder.getLocale(), recipient,
                java.util.Map.of("recipientName", name, "creatorName", creator.displayName(),
                        "creatorLoginId", creator.loginId(), "loginId", change.loginId(),
                        "displayName", change.displayName().strip(), "role", change.role(),
                        "approvalRight", "ADMIN".equals(change.role()) && change.approvalRight(),
                        "at", bankTime.at(clock.instant()))));
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
