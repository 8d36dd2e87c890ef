package io.kagi.authority;

import java.time.Instant;

/**
 * A registered service as the bank's console shows it: its policy, whether it is suspended and
 * where its REST API secret stands. Never a secret, nor its hash.
 *
 * @param createdAt                when it was registered
 * @param suspendedAt              when it was suspended; null while it is in service
 * @param apiSecretVersion         0 before the first API secret, then one more at each issue or rotation:
 *                                 what a confirm screen holds, so that a rotation confirmed against a
 *                                 secret that changed meanwhile is not carried out
 * @param apiSecretIssuedAt        when the current API secret was issued; null when there is none (or it
 *                                 was issued before this was recorded)
 * @param previousSecretValidUntil until when (exclusive) the secret replaced by the last rotation is still
 *                                 accepted; null when there is none or its grace period is over
 */
public record ServiceDetails(ServiceId serviceId, String name, ServicePolicy policy, Instant createdAt,
                             Instant suspendedAt, int apiSecretVersion, Instant apiSecretIssuedAt,
                             Instant previousSecretValidUntil) {

    public boolean suspended() {
        return suspendedAt != null;
    }

    public boolean hasApiSecret() {
        return apiSecretVersion > 0;
    }
}
