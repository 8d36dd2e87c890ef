package io.kagi.authority;

/**
 * What a service asks its customers to sign on the phone (取引認証) instead of confirming with a
 * TOTP code. Existing tokens serve every policy: the signing key is the token's seed.
 */
public enum SigningPolicy {
    /** A TOTP code confirms everything (as before issue 23). */
    TOTP_ONLY,
    /**
     * Transfers (振込承認, 振込依頼 where the relying party asks) are signed. The portal signs 振込承認
     * only: its 振込依頼 moves no money until another user approves it (docs/transaction-signing.md).
     */
    TRANSFERS,
    /** Transfers and payee registrations (振込先登録) are signed. */
    TRANSFERS_AND_PAYEES;

    /** Whether a request of this purpose is to be signed under this policy. */
    public boolean covers(TransactionText.Purpose purpose) {
        return switch (this) {
            case TOTP_ONLY -> false;
            case TRANSFERS -> purpose.transfer();
            case TRANSFERS_AND_PAYEES -> true;
        };
    }
}
