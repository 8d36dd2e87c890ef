package io.kagi.authority;

/**
 * The life of a token: {@code ISSUED} (waiting for activation on a phone) → {@code ACTIVE} ⇄
 * {@code LOCKED} → {@code REVOKED}; a pending token ends {@code VOIDED} (five wrong activation
 * passwords, issued again, or cancelled) or {@code EXPIRED} (not activated in time).
 */
public enum TokenState {
    ISSUED, ACTIVE, LOCKED, REVOKED, VOIDED, EXPIRED
}
