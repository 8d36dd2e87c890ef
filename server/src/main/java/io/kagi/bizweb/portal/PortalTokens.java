package io.kagi.bizweb.portal;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import io.kagi.authority.AccountRef;
import io.kagi.authority.ClientInfo;
import io.kagi.authority.IssueResult;
import io.kagi.authority.ServiceId;
import io.kagi.authority.ServicePolicy;
import io.kagi.authority.Services;
import io.kagi.authority.TokenStatus;
import io.kagi.authority.Tokens;
import io.kagi.authority.VerificationResult;
import io.kagi.bizweb.BizwebProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The portal's view of its users' tokens at the token authority: the portal is the service
 * {@code kagi.bizweb.service-id}, and a portal user is the account {@code bizweb-user:<id>}.
 */
@Component
public class PortalTokens {

    private final Tokens tokens;
    private final Services services;
    private final ServiceId service;
    private final Clock clock;
    private final JdbcClient jdbc;
    private final TokenChangeNotices notices;

    PortalTokens(Tokens tokens, Services services, BizwebProperties properties, Clock clock, JdbcClient jdbc,
                 TokenChangeNotices notices) {
        this.jdbc = jdbc;
        this.notices = notices;
        this.tokens = tokens;
        this.services = services;
        this.service = new ServiceId(properties.serviceId());
        this.clock = clock;
    }

    /** Where a user stands with their token, as the portal's screens need to know it. */
    public enum Situation {
        /** No token, or only a voided, expired or revoked one: ELG016 offers issuance. */
        NONE,
        /** Issued, waiting for activation and confirmation (ELG017). */
        PENDING,
        /** Usable: an OTP can be asked for. */
        ACTIVE,
        /** 利用停止 after consecutive wrong codes: an administrator or the bank must unlock it. */
        LOCKED
    }

    ServiceId service() {
        return service;
    }

    static AccountRef accountOf(PortalAccount user) {
        return new AccountRef("bizweb-user:" + user.id());
    }

    static AccountRef accountOf(long userId) {
        return new AccountRef("bizweb-user:" + userId);
    }

    static ClientInfo client(PortalAccount user, String address) {
        return new ClientInfo("user:" + user.loginId(), address);
    }

    public Optional<TokenStatus> status(PortalAccount user) {
        return tokens.status(service, accountOf(user));
    }

    public Optional<TokenStatus> status(long userId) {
        return tokens.status(service, accountOf(userId));
    }

    /** 失効 of another user's token, by {@code actor}; false when the user has no token to revoke. */
    public boolean revoke(long userId, PortalAccount actor, String address) {
        return tokens.revoke(service, accountOf(userId), client(actor, address));
    }

    /** Unlocks another user's locked token, by {@code actor}; false when it is not locked. */
    public boolean unlock(long userId, PortalAccount actor, String address) {
        return tokens.unlock(service, accountOf(userId), client(actor, address));
    }

    /** When a revoked token's user may issue again (the service's cooling-off after the revocation). */
    public Optional<java.time.Instant> reissueAllowedFrom(TokenStatus status) {
        if (status.state() != io.kagi.authority.TokenState.REVOKED || status.revokedAt() == null) {
            return Optional.empty();
        }
        java.time.Duration coolingOff = services.policyOf(service).map(ServicePolicy::revokeCoolingOff)
                .orElse(java.time.Duration.ZERO);
        return Optional.of(status.revokedAt().plus(coolingOff));
    }

    /**
     * Whether the user's token was revoked and nobody allowed a new one since: then ELG016 issues
     * nothing (docs/security.md, T16). A revocation means the token was lost or misused; binding a
     * new one with the password alone would hand the account to whoever holds the password, so an
     * administrator of the company ({@code 利用者管理}) or the bank (operator console) must allow it
     * first ({@link #allowReissue}), and the authority's cooling-off still applies after that.
     */
    public boolean reissueHeld(long userId) {
        return status(userId).map(status -> reissueHeld(status, userId)).orElse(false);
    }

    private boolean reissueHeld(TokenStatus status, long userId) {
        if (status.state() != io.kagi.authority.TokenState.REVOKED || status.revokedAt() == null) {
            return false;
        }
        java.time.OffsetDateTime allowed = jdbc.sql("SELECT token_reissue_allowed_at FROM bizweb_user WHERE id = :id")
                .param("id", userId).query(java.time.OffsetDateTime.class).optional().orElse(null);
        return allowed == null || allowed.toInstant().isBefore(status.revokedAt());
    }

    /**
     * Allows the user to issue a new token after its revocation (the caller checked who may, and
     * writes the audit row in this transaction); the user and the master are told. False when the
     * user's token is not held back.
     */
    @Transactional
    public boolean allowReissue(long userId, Locale locale) {
        Optional<TokenStatus> status = status(userId);
        if (status.isEmpty() || !reissueHeld(status.get(), userId)) {
            return false;
        }
        java.time.Instant now = clock.instant();
        // Conditional, so that of two administrators allowing at once one does it (and one notice goes out).
        int updated = jdbc.sql("""
                        UPDATE bizweb_user SET token_reissue_allowed_at = :now
                        WHERE id = :id AND (token_reissue_allowed_at IS NULL OR token_reissue_allowed_at < :revokedAt)""")
                .param("now", now.atOffset(java.time.ZoneOffset.UTC)).param("id", userId)
                .param("revokedAt", status.get().revokedAt().atOffset(java.time.ZoneOffset.UTC)).update();
        if (updated == 0) {
            return false;
        }
        notices.reissueAllowed(userId, now, locale);
        return true;
    }

    /**
     * Activated on a phone but no code ever accepted (ELG017 never confirmed it): the customer may
     * issue again from ELG016 without a cooling-off — the finish answer may have been lost, leaving
     * the phone without the token (issue 20). The notices of T16 still go out.
     */
    public boolean activatedButNeverConfirmed(TokenStatus status) {
        return status.state() == io.kagi.authority.TokenState.ACTIVE && !status.codeAccepted();
    }

    public Situation situation(PortalAccount user) {
        return status(user).map(this::situation).orElse(Situation.NONE);
    }

    public Situation situation(TokenStatus status) {
        return switch (status.state()) {
            case ACTIVE -> Situation.ACTIVE;
            case LOCKED -> Situation.LOCKED;
            case ISSUED -> status.activationDeadline() != null && !clock.instant().isBefore(status.activationDeadline())
                    ? Situation.NONE : Situation.PENDING;
            case REVOKED, VOIDED, EXPIRED -> Situation.NONE;
        };
    }

    /** Whether the service's policy asks for an OTP at every login (on by default). */
    boolean otpAtLogin() {
        return services.policyOf(service).map(ServicePolicy::otpAtLogin).orElse(true);
    }

    public IssueResult issue(PortalAccount user, String mailAddress, char[] activationPassword, Locale locale, String address) {
        return tokens.issue(service, accountOf(user), mailAddress, activationPassword, locale, client(user, address));
    }

    public VerificationResult verify(PortalAccount user, CharSequence code, String address) {
        return tokens.verify(service, accountOf(user), code, client(user, address));
    }
}
