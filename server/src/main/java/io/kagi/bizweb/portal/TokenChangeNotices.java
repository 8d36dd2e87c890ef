package io.kagi.bizweb.portal;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.kagi.authority.ServiceId;
import io.kagi.authority.TokenActivated;
import io.kagi.authority.TokenIssued;
import io.kagi.authority.TokenLocked;
import io.kagi.authority.TokenRevoked;
import io.kagi.authority.TokenUnlocked;
import io.kagi.authority.Tokens;
import io.kagi.authority.UserId;
import io.kagi.bizweb.BizwebProperties;
import io.kagi.mail.Outbox;
import io.kagi.platform.BankTime;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Second-factor binding notices (docs/security.md, T16): every issuance or change of a portal user's
 * token — whoever made it: the user on ELG016, an administrator in 利用者管理, the bank's console, the
 * token authority itself (a lock) — is told to the user's mail address of record and to the
 * company's master user, not only to the address typed on ELG016 (which gets the authority's own
 * notice). A phished password that binds a token is thus seen by two people who did not type that
 * address. Written into the outbox synchronously, in the transaction of the change.
 */
@Component
public class TokenChangeNotices {

    /** What happened to the token; the {@code token-changed} template words each. */
    public enum Change { ISSUED, ACTIVATED, LOCKED, UNLOCKED, REVOKED, REISSUE_ALLOWED }

    private static final String USER = """
            SELECT u.id, u.login_id, u.display_name, u.mail_address, c.name AS company_name,
                   m.display_name AS master_name, m.mail_address AS master_mail
            FROM bizweb_user u JOIN bizweb_company c ON c.id = u.company_id
            LEFT JOIN bizweb_user m ON m.company_id = u.company_id AND m.role = 'MASTER'
            WHERE u.id = :id""";

    private final JdbcClient jdbc;
    private final Tokens tokens;
    private final Outbox outbox;
    private final ServiceId portal;
    private final BankTime bankTime;

    TokenChangeNotices(JdbcClient jdbc, Tokens tokens, Outbox outbox, BizwebProperties properties, BankTime bankTime) {
        this.jdbc = jdbc;
        this.bankTime = bankTime;
        this.tokens = tokens;
        this.outbox = outbox;
        this.portal = new ServiceId(properties.serviceId());
    }

    @EventListener
    void on(TokenIssued event) {
        notifyOwner(event.serviceId(), event.userId(), Change.ISSUED, event.issuedAt(), event.mailAddress(), event.locale());
    }

    @EventListener
    void on(TokenActivated event) {
        notifyOwner(event.serviceId(), event.userId(), Change.ACTIVATED, event.at(), event.mailAddress(), event.locale());
    }

    @EventListener
    void on(TokenLocked event) {
        notifyOwner(event.serviceId(), event.userId(), Change.LOCKED, event.at(), event.mailAddress(), event.locale());
    }

    @EventListener
    void on(TokenUnlocked event) {
        notifyOwner(event.serviceId(), event.userId(), Change.UNLOCKED, event.at(), event.mailAddress(), event.locale());
    }

    @EventListener
    void on(TokenRevoked event) {
        notifyOwner(event.serviceId(), event.userId(), Change.REVOKED, event.at(), event.mailAddress(), event.locale());
    }

    /** Tells the user and the master that a new token may be issued after a revocation (no token mail address yet). */
    public void reissueAllowed(long userId, Instant at, Locale locale) {
        notify(userId, Change.REISSUE_ALLOWED, at, null, locale);
    }

    private void notifyOwner(ServiceId service, UserId userId, Change change, Instant at, String tokenMailAddress,
                             Locale locale) {
        if (!portal.equals(service)) {
            return;
        }
        tokens.accountOf(service, userId)
                .map(account -> account.value())
                .filter(value -> value.matches("bizweb-user:[0-9]{1,18}"))
                .map(value -> Long.parseLong(value.substring("bizweb-user:".length())))
                .ifPresent(id -> notify(id, change, at, tokenMailAddress, locale));
    }

    /**
     * One mail to the user's address of record and one to the master's (once when they are the same);
     * none to an address that is the token's own, which the authority's notice reaches already.
     */
    private void notify(long userId, Change change, Instant at, String tokenMailAddress, Locale locale) {
        Optional<Owner> found = jdbc.sql(USER).param("id", userId).query((row, number) -> new Owner(
                row.getString("login_id"), row.getString("display_name"), row.getString("mail_address"),
                row.getString("company_name"), row.getString("master_name"), row.getString("master_mail"))).optional();
        if (found.isEmpty()) {
            return;
        }
        Owner owner = found.get();
        Map<String, String> recipients = new LinkedHashMap<>();
        recipients.put(owner.mailAddress().toLowerCase(Locale.ROOT), owner.displayName());
        if (owner.masterMail() != null) {
            recipients.putIfAbsent(owner.masterMail().toLowerCase(Locale.ROOT), owner.masterName());
        }
        if (tokenMailAddress != null) {
            recipients.remove(tokenMailAddress.toLowerCase(Locale.ROOT));
        }
        recipients.forEach((address, name) -> {
            Map<String, Object> model = new HashMap<>();
            model.put("companyName", owner.companyName());
            model.put("recipientName", name);
            model.put("loginId", owner.loginId());
            model.put("displayName", owner.displayName());
            model.put("change", change.name());
            model.put("at", bankTime.at(at));
            model.put("sentTo", tokenMailAddress == null ? "" : masked(tokenMailAddress));
            outbox.send("token-changed", locale, address, model);
        });
    }

    /** {@code hanako@example.jp} → {@code h*****@example.jp}: enough to recognise one's own address, not to learn another's. */
    static String masked(String mailAddress) {
        int at = mailAddress.indexOf('@');
        if (at <= 0) {
            return "***";
        }
        return mailAddress.charAt(0) + "*".repeat(Math.max(3, at - 1)) + mailAddress.substring(at);
    }

    private record Owner(String loginId, String displayName, String mailAddress, String companyName, String masterName,
                         String masterMail) {
    }
}
