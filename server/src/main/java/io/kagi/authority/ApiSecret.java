package io.kagi.authority;

import java.time.Instant;

/**
 * A service's new REST API secret, as made by {@link Services#issueApiSecret}: shown to the operator
 * once and never stored in clear (the authority keeps its SHA-256). {@link #toString()} hides it.
 *
 * @param secret                   256 random bits, Base64url without padding (43 characters)
 * @param issuedAt                 when it was made
 * @param previousSecretValidUntil until when (exclusive) the secret it replaced is still accepted; null
 *                                 when it is the service's first
 */
public record ApiSecret(ServiceId serviceId, String secret, Instant issuedAt, Instant previousSecretValidUntil) {

    @Override
    public String toString() {
        return "ApiSecret[" + serviceId + ", issuedAt=" + issuedAt + ", previousSecretValidUntil="
                + previousSecretValidUntil + ", secret=(hidden)]";
    }
}
