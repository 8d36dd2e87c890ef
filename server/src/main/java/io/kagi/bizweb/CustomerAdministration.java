package io.kagi.bizweb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.kagi.audit.AuditEvent;
import io.kagi.audit.AuditLog;
import io.kagi.platform.TemporaryPasswords;
import io.kagi.authority.AccountRef;
import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenStatus;
import io.kagi.authority.Tokens;
import io.kagi.platform.BankAccounts;
import io.kagi.signin.SignIn;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The portal's customers as the bank administers them (for the operator console): contracts
 * (companies) with their 代表口座 and first-use 仮ログインパスワード, the お知らせ of the top page,
 * the companies' users and the unlocking of a master user's login. Every change is written to the
 * audit log with the acting operator; no password reaches it. Thread-safe.
 */
@Service
public class CustomerAdministration {


    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Clock clock;
    private final Tokens tokens;
    private final ServiceId portal;
    private final SignIn signIn;
    private final PortalTokens portalTokens;

    CustomerAdministration(JdbcClient jdbc, PasswordEncoder passwordEncoder, AuditLog audit, Clock clock,
                           Tokens tokens, BizwebProperties properties, SignIn signIn, PortalTokens portalTokens) {
        this.signIn = signIn;
        this.portalTokens = portalTokens;
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.clock = clock;
        this.tokens = tokens;
        this.portal = new ServiceId(properties.serviceId());
    }

    /** The portal's サービスID at the token authority (where its users' tokens are). */
    public ServiceId portalService() {
        return portal;
    }

    /** The user's current token under the portal's service, if any. */
    public Optional<TokenStatus> tokenStatus(CustomerUser user) {
        return tokens.status(portal, user.tokenAccount());
    }

    /** The portal user who owns {@code account} at {@code service}: none unless {@code service} is the portal's. */
    public Optional<CustomerUser> userOfToken(ServiceId service, AccountRef account) {
        return portal.equals(service) ? userOfTokenAccount(account) : Optional.empty();
    }

    /**
     * A contract to create: the company's name and its 代表口座.
     *
     * @param branchCode    支店番号, 3 digits
     * @param accountType   {@code ORDINARY} (普通) or {@code CURRENT} (当座)
     * @param accountNumber 口座番号, 7 digits
     */
    public record NewCompany(String name, String branchCode, String accountType, String accountNumber) {
        public NewCompany {
            if (name == null || name.isBlank() || name.length() > 100) {
                throw new IllegalArgumentException("A company name has 1 to 100 characters");
            }
            if (!BankAccounts.isBranchCode(branchCode)) {
                throw new IllegalArgumentException("A branch code is 3 digits");
            }
            if (!"ORDINARY".equals(accountType) && !"CURRENT".equals(accountType)) {
                throw new IllegalArgumentException("An account type is ORDINARY or CURRENT");
            }
            if (!BankAccounts.isAccountNumber(accountNumber)) {
                throw new IllegalArgumentException("An account number is 7 digits");
            }
            name = name.strip();
        }

        @Override
        public String toString() {
            return "NewCompany[name=" + name + ", branchCode=" + branchCode + ", accountType=" + accountType
                    + ", accountNumber=(hidden)]";
        }
    }

    /** A contract as the console lists it. */
    public record Company(long id, String name, String branchCode, String accountType, String accountNumber,
                          boolean firstUseDone, boolean firstUseLocked, Instant createdAt, Instant suspendedAt) {

        /** Suspended by the bank: its users' logins are refused as locked. */
        public boolean suspended() {
            return suspendedAt != null;
        }

        @Override
        public String toString() {
            return "Company[id=" + id + ", name=" + name + ", branchCode=" + branchCode + ", accountType=" + accountType
                    + ", accountNumber=(hidden)]";
        }
    }

    /** The outcome of {@link #createCompany}. */
    public sealed interface CompanyCreation {

        /** Created; {@code temporaryPassword} is shown once to the operator and kept only as a hash. */
        record Created(Company company, String temporaryPassword) implements CompanyCreation {
            @Override
            public String toString() {
                return "Created[" + company + "]";
            }
        }

        /** A contract with this 代表口座 exists already. */
        record AccountTaken() implements CompanyCreation {
        }
    }

    /**
     * A notice to publish from {@code publishFrom} until {@code publishUntil} (open-ended when null).
     *
     * @param titleEn   the English title, shown to users whose language is English; null with {@code bodyEn}
     *                  when there is no English text (they then see the Japanese one)
     * @param companyId the only company whose users see it; null: every company
     */
    public record NoticeDraft(String title, String body, String titleEn, String bodyEn, Long companyId,
                              Instant publishFrom, Instant publishUntil) {
        public NoticeDraft {
            if ((titleEn == null) != (bodyEn == null)) {
                throw new IllegalArgumentException("A notice has both an English title and body or neither");
            }
            if (titleEn != null && (titleEn.isBlank() || titleEn.length() > 200)) {
                throw new IllegalArgumentException("A notice's English title has 1 to 200 characters");
            }
            if (bodyEn != null && (bodyEn.isBlank() || bodyEn.length() > 4000)) {
                throw new IllegalArgumentException("A notice's English body has 1 to 4000 characters");
            }
            if (title == null || title.isBlank() || title.length() > 200) {
                throw new IllegalArgumentException("A notice title has 1 to 200 characters");
            }
            if (body == null || body.isBlank() || body.length() > 4000) {
                throw new IllegalArgumentException("A notice body has 1 to 4000 characters");
            }
            Objects.requireNonNull(publishFrom, "publishFrom");
            if (publishUntil != null && !publishUntil.isAfter(publishFrom)) {
                throw new IllegalArgumentException("A notice ends after it starts");
            }
        }
    }

    /**
     * A notice with where it stands at {@code now}; {@code titleEn} and {@code bodyEn} null when it has no
     * English text, {@code companyId} and {@code companyName} null when it is for every company.
     */
    public record Notice(long id, String title, String body, String titleEn, String bodyEn, Long companyId,
                         String companyName, Instant publishFrom, Instant publishUntil, boolean withdrawn,
                         Instant createdAt, NoticeState state) {
    }

    /** Where a notice stands: shown on the top page now, not yet, no longer, or withdrawn. */
    public enum NoticeState { SCHEDULED, PUBLISHED, ENDED, WITHDRAWN }

    /** A user of a company; {@code tokenAccount} is the user's account at the token authority under the portal's service. */
    public record CustomerUser(long id, long companyId, String companyName, String loginId, String displayName,
                               String mailAddress, String role, boolean loginLocked, Instant loginLockedAt,
                               AccountRef tokenAccount) {

        public boolean master() {
            return "MASTER".equals(role);
        }
    }

    /** The outcome of {@link #unlockMasterLogin}. */
    public enum UnlockOutcome { UNLOCKED, NOT_LOCKED, NOT_A_MASTER, NO_SUCH_USER }

    /**
     * Creates a contract with a fresh 仮ログインパスワード (10 characters of an alphabet without
     * look-alikes) for its first use (ログインID取得).
     */
    @Transactional
    public CompanyCreation createCompany(NewCompany company, String actor, String clientAddress) {
        String temporaryPassword = TemporaryPasswords.generate();
        Instant now = clock.instant();
        boolean taken = jdbc.sql("""
                        SELECT COUNT(*) FROM bizweb_company
                        WHERE branch_code = :branch AND account_type = :type AND account_number = :number""")
                .param("branch", company.branchCode()).param("type", company.accountType())
                .param("number", company.accountNumber())
                .query(Long.class).single() > 0;
        if (taken) {
            return new CompanyCreation.AccountTaken();
        }
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        // ON CONFLICT DO NOTHING rather than catching the duplicate key: on PostgreSQL a failed statement
        // aborts the caller's transaction, which holds the one-time form and the operator's code.
        int inserted = jdbc.sql("""
                        INSERT INTO bizweb_company (name, branch_code, account_type, account_number,
                                                   temporary_password_hash, created_at)
                        VALUES (:name, :branch, :type, :number, :hash, :now)
                        ON CONFLICT DO NOTHING""")
                .param("name", company.name()).param("branch", company.branchCode())
                .param("type", company.accountType()).param("number", company.accountNumber())
                .param("hash", passwordEncoder.encode(temporaryPassword)).param("now", utc(now))
                .update(key, "id");
        if (inserted == 0) {
            return new CompanyCreation.AccountTaken();
        }
        long id = key.getKey().longValue();
        audit.record(AuditEvent.of("COMPANY_CREATED", actor).company(id).subject("company:" + id).from(clientAddress)
                .detail("name", company.name()).detail("branch", company.branchCode())
                .detail("account", BankAccounts.masked(company.accountNumber())));
        return new CompanyCreation.Created(company(id).orElseThrow(), temporaryPassword);
    }

    /** Companies whose name contains {@code query} or whose 口座番号 or ID is {@code query}; all when blank; newest first. */
    public List<Company> companies(String query, int limit) {
        String text = query == null ? "" : query.strip();
        return jdbc.sql("""
                        SELECT id, name, branch_code, account_type, account_number, first_use_completed_at,
                               first_use_locked_at, created_at, suspended_at
                        FROM bizweb_company
                        WHERE :query = '' OR name LIKE :like OR account_number = :query OR CAST(id AS VARCHAR(20)) = :query
                        ORDER BY id DESC LIMIT :limit""")
                .param("query", text).param("like", "%" + escapeLike(text) + "%").param("limit", limit)
                .query((row, number) -> company(row))
                .list();
    }

    public Optional<Company> company(long id) {
        return jdbc.sql("""
                        SELECT id, name, branch_code, account_type, account_number, first_use_completed_at,
                               first_use_locked_at, created_at, suspended_at
                        FROM bizweb_company WHERE id = :id""")
                .param("id", id)
                .query((row, number) -> company(row))
                .optional();
    }

    /**
     * A new 仮ログインパスワード for a company whose first use (ログインID取得) is not done — locked after
     * wrong passwords, or the letter lost: the old one stops working, the lock and its count end.
     * The password is returned once (for the operator's screen) and kept only as a hash; the audit row
     * ({@code FIRST_USE_PASSWORD_REISSUED}) holds no password. Empty when the first use is done (or no
     * such company).
     */
    @Transactional
    public Optional<String> reissueFirstUsePassword(long companyId, String actor, String clientAddress) {
        String temporaryPassword = TemporaryPasswords.generate();
        Optional<Company> before = company(companyId);
        int updated = jdbc.sql("""
                        UPDATE bizweb_company SET temporary_password_hash = :hash, first_use_failed_count = 0,
                                                  first_use_locked_at = NULL
                        WHERE id = :id AND first_use_completed_at IS NULL""")
                .param("hash", passwordEncoder.encode(temporaryPassword)).param("id", companyId).update();
        if (updated != 1) {
            return Optional.empty();
        }
        audit.record(AuditEvent.of("FIRST_USE_PASSWORD_REISSUED", actor).company(companyId).subject("company:" + companyId)
                .from(clientAddress).detail("wasLocked", String.valueOf(before.map(Company::firstUseLocked).orElse(false))));
        return Optional.of(temporaryPassword);
    }

    /** Renames the company from {@code expectedName} (what the operator saw) to {@code name}; false when it changed meanwhile. */
    @Transactional
    public boolean renameCompany(long companyId, String expectedName, String name, String actor, String clientAddress) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("A company name has 1 to 100 characters");
        }
        int updated = jdbc.sql("UPDATE bizweb_company SET name = :name WHERE id = :id AND name = :expected")
                .param("name", name).param("id", companyId).param("expected", expectedName).update();
        if (updated != 1) {
            return false;
        }
        audit.record(AuditEvent.of("COMPANY_RENAMED", actor).company(companyId).subject("company:" + companyId)
                .from(clientAddress).detail("name", expectedName + " -> " + name));
        return true;
    }

    /**
     * Suspends ({@code suspend}) or resumes the company: while suspended its users' logins are refused
     * as locked (the portal's sign-in reads {@code suspended_at}). False when it is in that state already.
     */
    @Transactional
    public boolean suspendCompany(long companyId, boolean suspend, String actor, String clientAddress) {
        int updated = suspend
                ? jdbc.sql("UPDATE bizweb_company SET suspended_at = :now WHERE id = :id AND suspended_at IS NULL")
                        .param("now", utc(clock.instant())).param("id", companyId).update()
                : jdbc.sql("UPDATE bizweb_company SET suspended_at = NULL WHERE id = :id AND suspended_at IS NOT NULL")
                        .param("id", companyId).update();
        if (updated != 1) {
            return false;
        }
        audit.record(AuditEvent.of(suspend ? "COMPANY_SUSPENDED" : "COMPANY_RESUMED", actor).company(companyId)
                .subject("company:" + companyId).from(clientAddress));
        return true;
    }

    /**
     * Publishes a notice (or schedules it, when {@code publishFrom} is still ahead); returns its ID. Its
     * audit row names the target company (none for a notice to every company).
     */
    @Transactional
    public long publishNotice(NoticeDraft draft, String actor, String clientAddress) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO bizweb_notice (title, body, title_en, body_en, company_id, publish_from, publish_until,
                                                   withdrawn, created_at)
                        VALUES (:title, :body, :titleEn, :bodyEn, :company, :from, :until, FALSE, :now)""")
                .param("title", draft.title()).param("body", draft.body()).param("titleEn", draft.titleEn())
                .param("bodyEn", draft.bodyEn()).param("company", draft.companyId())
                .param("from", utc(draft.publishFrom()))
                .param("until", draft.publishUntil() == null ? null : utc(draft.publishUntil()))
                .param("now", utc(clock.instant()))
                .update(key, "id");
        long id = key.getKey().longValue();
        audit.record(AuditEvent.of("NOTICE_PUBLISHED", actor).company(draft.companyId()).subject("notice:" + id)
                .from(clientAddress).detail("title", draft.title()).detail("english", String.valueOf(draft.titleEn() != null)).detail("from", draft.publishFrom().toString())
                .detail("until", String.valueOf(draft.publishUntil())));
        return id;
    }

    /** Withdraws a notice from the top page; false when there is none with this ID or it was withdrawn already. */
    @Transactional
    public boolean withdrawNotice(long id, String actor, String clientAddress) {
        int updated = jdbc.sql("UPDATE bizweb_notice SET withdrawn = TRUE WHERE id = :id AND withdrawn = FALSE")
                .param("id", id).update();
        if (updated == 1) {
            audit.record(AuditEvent.of("NOTICE_WITHDRAWN", actor).subject("notice:" + id).from(clientAddress));
        }
        return updated == 1;
    }

    private static final String NOTICES = """
            SELECT n.id, n.title, n.body, n.title_en, n.body_en, n.company_id, c.name AS company_name, n.publish_from,
                   n.publish_until, n.withdrawn, n.created_at
            FROM bizweb_notice n LEFT JOIN bizweb_company c ON c.id = n.company_id""";

    /** Every notice, newest first, at most {@code limit}. */
    public List<Notice> notices(int limit) {
        return jdbc.sql(NOTICES + " ORDER BY n.publish_from DESC, n.id DESC LIMIT :limit")
                .param("limit", limit)
                .query((row, number) -> notice(row))
                .list();
    }

    public Optional<Notice> notice(long id) {
        return jdbc.sql(NOTICES + " WHERE n.id = :id")
                .param("id", id)
                .query((row, number) -> notice(row))
                .optional();
    }

    /**
     * Users by company and/or login ID (a prefix); both blank finds nothing.
     *
     * @param companyId the company's ID, or null
     * @param loginId the start of a login ID, or blank
     */
    public List<CustomerUser> users(Long companyId, String loginId, int limit) {
        String prefix = loginId == null ? "" : loginId.strip();
        if (companyId == null && prefix.isEmpty()) {
            return List.of();
        }
        String where = (companyId == null ? " WHERE 1 = 1" : " WHERE u.company_id = :company")
                + (prefix.isEmpty() ? "" : " AND u.login_id LIKE :like");
        var statement = jdbc.sql(USER_QUERY + where + " ORDER BY u.company_id, u.id LIMIT :limit").param("limit", limit);
        if (companyId != null) {
            statement = statement.param("company", companyId);
        }
        if (!prefix.isEmpty()) {
            statement = statement.param("like", escapeLike(prefix) + "%");
        }
        return statement.query((row, number) -> user(row)).list();
    }

    public Optional<CustomerUser> user(long id) {
        return jdbc.sql(USER_QUERY + " WHERE u.id = :id").param("id", id).query((row, number) -> user(row)).optional();
    }

    /** The portal user who owns this account at the token authority (under the portal's service), if any. */
    public Optional<CustomerUser> userOfTokenAccount(AccountRef account) {
        String value = account.value();
        if (!value.matches("bizweb-user:[0-9]{1,18}")) {
            return Optional.empty();
        }
        return user(Long.parseLong(value.substring("bizweb-user:".length())));
    }

    /** The bank unlocks a master user's login (locked after consecutive wrong passwords); other users are unlocked in their company. */
    @Transactional
    public UnlockOutcome unlockMasterLogin(long userId, String actor, String clientAddress) {
        Optional<CustomerUser> found = user(userId);
        if (found.isEmpty()) {
            return UnlockOutcome.NO_SUCH_USER;
        }
        CustomerUser user = found.get();
        if (!user.master()) {
            return UnlockOutcome.NOT_A_MASTER;
        }
        int updated = jdbc.sql("""
                        UPDATE bizweb_user SET login_locked_at = NULL, failed_login_count = 0
                        WHERE id = :id AND login_locked_at IS NOT NULL""")
                .param("id", userId).update();
        if (updated == 0) {
            return UnlockOutcome.NOT_LOCKED;
        }
        signIn.forgetWaits(PortalAccount.REALM, user.loginId());
        audit.record(AuditEvent.of("LOGIN_UNLOCKED", actor).company(user.companyId()).subject("user:" + user.loginId())
                .from(clientAddress).detail("role", user.role()));
        return UnlockOutcome.UNLOCKED;
    }

    /**
     * The bank allows a portal user whose token was revoked to issue a new one (for a master user,
     * whom no administrator of the company may administer, only the bank can); the user and the
     * master are told. False when the user's token is not held back after a revocation.
     */
    @Transactional
    public boolean allowTokenReissue(long userId, String actor, String clientAddress) {
        Optional<CustomerUser> found = user(userId);
        if (found.isEmpty() || !portalTokens.allowReissue(userId, java.util.Locale.JAPANESE)) {
            return false;
        }
        audit.record(AuditEvent.of("USER_ALLOW_REISSUE", actor).company(found.get().companyId())
                .subject("user:" + found.get().loginId()).from(clientAddress));
        return true;
    }

    private static final String USER_QUERY = """
            SELECT u.id, u.company_id, c.name AS company_name, u.login_id, u.display_name, u.mail_address, u.role,
                   u.login_locked_at
            FROM bizweb_user u JOIN bizweb_company c ON c.id = u.company_id""";

    private static Company company(ResultSet row) throws SQLException {
        return new Company(row.getLong("id"), row.getString("name"), row.getString("branch_code"),
                row.getString("account_type"), row.getString("account_number"),
                row.getObject("first_use_completed_at", OffsetDateTime.class) != null,
                row.getObject("first_use_locked_at", OffsetDateTime.class) != null,
                instant(row, "created_at"), instant(row, "suspended_at"));
    }

    private Notice notice(ResultSet row) throws SQLException {
        Instant from = instant(row, "publish_from");
        Instant until = instant(row, "publish_until");
        boolean withdrawn = row.getBoolean("withdrawn");
        Instant now = clock.instant();
        NoticeState state = withdrawn ? NoticeState.WITHDRAWN
                : now.isBefore(from) ? NoticeState.SCHEDULED
                : until != null && !now.isBefore(until) ? NoticeState.ENDED
                : NoticeState.PUBLISHED;
        return new Notice(row.getLong("id"), row.getString("title"), row.getString("body"), row.getString("title_en"),
                row.getString("body_en"), row.getObject("company_id", Long.class), row.getString("company_name"), from, until,
                withdrawn, instant(row, "created_at"), state);
    }

    private static CustomerUser user(ResultSet row) throws SQLException {
        long id = row.getLong("id");
        Instant lockedAt = instant(row, "login_locked_at");
        return new CustomerUser(id, row.getLong("company_id"), row.getString("company_name"), row.getString("login_id"),
                row.getString("display_name"), row.getString("mail_address"), row.getString("role"), lockedAt != null,
                lockedAt, new AccountRef("bizweb-user:" + id));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
