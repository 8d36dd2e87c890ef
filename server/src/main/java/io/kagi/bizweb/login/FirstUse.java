package io.kagi.bizweb.login;

import io.kagi.confirmation.Confirmations;
import io.kagi.confirmation.Confirmations.Confirmer;
import io.kagi.platform.SecretsAtRest;
import io.kagi.signin.PasswordPolicy;
import io.kagi.signin.UnmatchableHash;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.bizweb.login.FirstUseForms.ContractForm;
import io.kagi.bizweb.login.FirstUseForms.MasterUserForm;
import io.kagi.bizweb.login.FirstUseForms.Ticket;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * ログインID取得: a company proves its contract with its 代表口座 and the bank's temporary login
 * password, then sets up its master user. Five wrong temporary passwords in a row stop first use
 * until the bank issues a new temporary password.
 */
@Component
class FirstUse {

    static final int LOCK_THRESHOLD = 5;

    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Clock clock;
    private final UnmatchableHash unmatchableHash;
    private final Confirmations confirmations;
    private final SecretsAtRest secrets;
    private final java.time.Duration lockLasts;

    private static final String MASTER_USER_STEP = "first-use-master";

    private static Confirmer confirmer(Ticket ticket, String clientAddress) {
        return new Confirmer("first-use:" + ticket.companyId(), null, null, "anonymous", ticket.companyId(), clientAddress);
    }

    FirstUse(JdbcClient jdbc, PasswordEncoder passwordEncoder, AuditLog audit, Clock clock, UnmatchableHash unmatchableHash,
             Confirmations confirmations, SecretsAtRest secrets,
             @Value("${kagi.bizweb.first-use-lock-duration:30m}") java.time.Duration lockLasts) {
        this.lockLasts = lockLasts;
        this.confirmations = confirmations;
        this.secrets = secrets;
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.clock = clock;
        this.unmatchableHash = unmatchableHash;
    }

    sealed interface ContractCheck {
        record Proven(Ticket ticket) implements ContractCheck {
        }

        record Wrong() implements ContractCheck {
        }

        record Locked() implements ContractCheck {
        }
    }

    sealed interface Completion {
        record Done(String loginId) implements Completion {
        }

        record LoginIdTaken() implements Completion {
        }

        record AlreadyDone() implements Completion {
        }

        /** This form was sent already (a double click, a reload): nothing happened. */
        record FormSentAgain() implements Completion {
        }
    }

    private record Contract(long id, String name, String temporaryPasswordHash, boolean locked, boolean completed) {
        @Override
        public String toString() {
            return "Contract[id=" + id + "]";
        }
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    ContractCheck checkContract(ContractForm form, String clientAddress) {
        var contract = jdbc.sql("""
                        SELECT id, name, temporary_password_hash, first_use_locked_at, first_use_completed_at
                        FROM bizweb_company
                        WHERE branch_code = :branch AND account_type = :type AND account_number = :number""")
                .param("branch", form.branchCode()).param("type", form.accountType()).param("number", form.accountNumber())
                .query((row, number) -> new Contract(row.getLong("id"), row.getString("name"),
                        row.getString("temporary_password_hash"),
                        stillLocked(row.getObject("first_use_locked_at", OffsetDateTime.class)),
                        row.getObject("first_use_completed_at") != null))
                .optional();
        // Exactly one bcrypt check on every path (a real hash or the unmatchable one), so that neither
        // the answer nor its time tells whether, or in which state, a contract exists.
        String hash = contract.filter(found -> !found.locked() && !found.completed())
                .map(Contract::temporaryPasswordHash).orElse(null);
        boolean matches = passwordEncoder.matches(form.temporaryPassword(), hash != null ? hash : unmatchableHash.value())
                && hash != null;
        if (contract.isEmpty()) {
            boolean lockedNow = countUnknown(form);
            audit.record(AuditEvent.of("FIRST_USE_FAILED", "anonymous").from(clientAddress).detail("reason", "no such contract"));
            return lockedNow ? new ContractCheck.Locked() : new ContractCheck.Wrong();
        }
        Contract found = contract.get();
        if (found.locked()) {
            audit.record(AuditEvent.of("FIRST_USE_REFUSED_LOCKED", "anonymous").company(found.id()).from(clientAddress));
            return new ContractCheck.Locked();
        }
        if (!matches) {
            OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
            jdbc.sql("""
                            UPDATE bizweb_company
                            SET first_use_failed_count = CASE WHEN first_use_locked_at IS NULL THEN first_use_failed_count + 1 ELSE 1 END,
                                first_use_locked_at = CASE WHEN (CASE WHEN first_use_locked_at IS NULL THEN first_use_failed_count + 1 ELSE 1 END)
                                    >= :threshold THEN :now ELSE NULL END
                            WHERE id = :id AND (first_use_locked_at IS NULL OR first_use_locked_at <= :expiredBefore)""")
                    .param("threshold", LOCK_THRESHOLD).param("now", now).param("expiredBefore", expiredBefore())
                    .param("id", found.id()).update();
            boolean lockedNow = stillLocked(jdbc.sql("SELECT first_use_locked_at FROM bizweb_company WHERE id = :id")
                    .param("id", found.id())
                    .query((row, number) -> java.util.Optional.ofNullable(row.getObject("first_use_locked_at", OffsetDateTime.class)))
                    .single().orElse(null));
            audit.record(AuditEvent.of(lockedNow ? "FIRST_USE_LOCKED" : "FIRST_USE_FAILED", "anonymous")
                    .company(found.id()).from(clientAddress));
            return lockedNow ? new ContractCheck.Locked() : new ContractCheck.Wrong();
        }
        jdbc.sql("UPDATE bizweb_company SET first_use_failed_count = 0, first_use_locked_at = NULL WHERE id = :id")
                .param("id", found.id()).update();
        audit.record(AuditEvent.of("FIRST_USE_CONTRACT_PROVEN", "anonymous").company(found.id()).from(clientAddress));
        return new ContractCheck.Proven(new Ticket(found.id(), found.name()));
    }

    /**
     * Counts a wrong attempt for a 代表口座 without a contract as a real contract's would be counted
     * (the fifth in a row locks it: every later attempt answers "locked"); whether it is locked now.
     */
    private boolean countUnknown(ContractForm form) {
        String key = contractHash(form);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        if (incrementUnknown(key, now) == 0) {
            int inserted = jdbc.sql("""
                            INSERT INTO bizweb_unknown_first_use (contract_hash, failed_count, last_failed_at)
                            VALUES (:key, 1, :now) ON CONFLICT DO NOTHING""")
                    .param("key", key).param("now", now).update();
            if (inserted == 0) {
                incrementUnknown(key, now);
            }
        }
        return stillLocked(jdbc.sql("SELECT locked_at FROM bizweb_unknown_first_use WHERE contract_hash = :key")
                .param("key", key)
                .query((row, number) -> java.util.Optional.ofNullable(row.getObject("locked_at", OffsetDateTime.class)))
                .single().orElse(null));
    }

    private int incrementUnknown(String key, OffsetDateTime now) {
        return jdbc.sql("""
                        UPDATE bizweb_unknown_first_use
                        SET failed_count = CASE WHEN locked_at IS NULL THEN failed_count + 1
                                                WHEN locked_at <= :expiredBefore THEN 1 ELSE failed_count END,
                            locked_at = CASE WHEN locked_at IS NOT NULL AND locked_at > :expiredBefore THEN locked_at
                                             WHEN (CASE WHEN locked_at IS NULL THEN failed_count + 1 ELSE 1 END) >= :threshold THEN :now
                                             ELSE NULL END,
                            last_failed_at = :now
                        WHERE contract_hash = :key""")
                .param("threshold", LOCK_THRESHOLD).param("now", now).param("expiredBefore", expiredBefore())
                .param("key", key).update();
    }

    /** A first-use lock ends after {@code kagi.bizweb.first-use-lock-duration} (30 minutes), or when the bank issues a new 仮ログインパスワード. */
    private boolean stillLocked(OffsetDateTime lockedAt) {
        return lockedAt != null && lockedAt.toInstant().isAfter(clock.instant().minus(lockLasts));
    }

    private OffsetDateTime expiredBefore() {
        return clock.instant().minus(lockLasts).atOffset(ZoneOffset.UTC);
    }

    /** The keyed digest under which a 代表口座 without a contract is counted (never the account in clear). */
    private String contractHash(ContractForm form) {
        return secrets.keyedDigest("first-use-contract", form.branchCode() + "/" + form.accountType() + "/" + form.accountNumber());
    }

    /** Forgets the counts of 代表口座 without a contract after 30 days. */
    @Scheduled(fixedDelayString = "${kagi.signin.cleanup-interval:PT10M}", initialDelayString = "${kagi.signin.cleanup-interval:PT10M}")
    @Transactional
    public void forgetOldUnknownContracts() {
        jdbc.sql("DELETE FROM bizweb_unknown_first_use WHERE last_failed_at < :before")
                .param("before", clock.instant().minus(java.time.Duration.ofDays(30)).atOffset(ZoneOffset.UTC)).update();
    }

    /** Whether this password is the company's current temporary password (which must not be kept). */
    boolean isTemporaryPassword(Ticket ticket, String password) {
        return jdbc.sql("SELECT temporary_password_hash FROM bizweb_company WHERE id = :id")
                .param("id", ticket.companyId()).query(String.class).optional()
                .map(hash -> passwordEncoder.matches(PasswordPolicy.normalise(password), hash))
                .orElse(false);
    }

    /** The master-user form (BLGI003) of a proven contract: a one-time form, held until it is sent. */
    String openMasterUserForm(Ticket ticket, String clientAddress) {
        return confirmations.hold(confirmer(ticket, clientAddress), MASTER_USER_STEP, ticket);
    }

    /**
     * Makes the company's master user, once: the form sent under {@code formToken} is taken in the
     * same transaction, so a form sent again is {@link Completion.AlreadyDone}, and a login ID taken
     * meanwhile rolls everything back (the same form may then be sent with another ID).
     */
    @Transactional
    Completion complete(Ticket ticket, MasterUserForm form, String formToken, String clientAddress) {
        if (confirmations.takeWithoutCode(confirmer(ticket, clientAddress), MASTER_USER_STEP, formToken, Ticket.class).isEmpty()) {
            return new Completion.FormSentAgain();
        }
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        int claimed = jdbc.sql("""
                        UPDATE bizweb_company SET first_use_completed_at = :now, temporary_password_hash = NULL
                        WHERE id = :id AND first_use_completed_at IS NULL
                          AND (first_use_locked_at IS NULL OR first_use_locked_at <= :expiredBefore)""")
                .param("now", now).param("expiredBefore", expiredBefore()).param("id", ticket.companyId()).update();
        if (claimed == 0) {
            return new Completion.AlreadyDone();
        }
        try {
            jdbc.sql("""
                            INSERT INTO bizweb_user (company_id, login_id, password_hash, display_name, mail_address, role,
                                                     password_changed_at, created_at)
                            VALUES (:company, :loginId, :hash, :name, :mail, 'MASTER', :now, :now)""")
                    .param("company", ticket.companyId()).param("loginId", form.loginId())
                    .param("hash", passwordEncoder.encode(PasswordPolicy.normalise(form.password()))).param("name", form.displayName().strip())
                    .param("mail", form.mailAddress()).param("now", now)
                    .update();
        } catch (DuplicateKeyException taken) {
            org.springframework.transaction.interceptor.TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            return new Completion.LoginIdTaken();
        }
        audit.record(AuditEvent.of("FIRST_USE_COMPLETED", form.loginId()).company(ticket.companyId())
                .subject("user:" + form.loginId()).from(clientAddress).detail("role", "MASTER"));
        return new Completion.Done(form.loginId());
    }
}
