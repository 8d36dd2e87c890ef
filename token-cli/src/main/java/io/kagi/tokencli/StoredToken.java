package io.kagi.tokencli;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import io.kagi.activation.TokenParameters;
import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;

/**
 * One activated token as the command-line token keeps it: whose it is, its TOTP parameters, its
 * seed and the difference between the authority's clock and this computer's, learned at
 * activation and measured again at each status answer ({@code serverTime - localTime}, in
 * milliseconds). Tokens of protocol version 2 also keep the authority's address, their status key
 * (docs/activation-protocol.md §7) and the state last told ({@code active}, {@code locked},
 * {@code revoked}, {@code replaced}, {@code voided}). Neither key appears in {@link #toString()}.
 */
public record StoredToken(String serviceId, String userId, String serviceName, TokenParameters parameters,
                          byte[] seed, long clockOffsetMillis, Instant activatedAt, String server, byte[] statusKey,
                          String state) {

    /** A token of protocol version 1: no status key, so no later time or state answers. */
    public StoredToken(String serviceId, String userId, String serviceName, TokenParameters parameters,
                       byte[] seed, long clockOffsetMillis, Instant activatedAt) {
        this(serviceId, userId, serviceName, parameters, seed, clockOffsetMillis, activatedAt, null, null, "active");
    }

    public StoredToken {
        if (serviceId == null || !serviceId.matches("[0-9]{8}") || userId == null || !userId.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("A サービスID is 8 digits and a ユーザID 6 digits");
        }
        if (parameters == null || seed == null || seed.length != parameters.seedBytes()) {
            throw new IllegalArgumentException("The seed must have the length of the algorithm's output");
        }
        if (activatedAt == null) {
            throw new IllegalArgumentException("activatedAt is required");
        }
        serviceName = serviceName == null || serviceName.isBlank() ? serviceId : serviceName;
        seed = seed.clone();
        statusKey = statusKey == null ? null : statusKey.clone();
        state = state == null ? "active" : state;
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public byte[] statusKey() {
        return statusKey == null ? null : statusKey.clone();
    }

    /** This token after a status answer: the offset measured then and the state told. */
    public StoredToken withStatus(long measuredOffsetMillis, String toldState) {
        return new StoredToken(serviceId, userId, serviceName, parameters, seed, measuredOffsetMillis, activatedAt, server,
                statusKey, toldState);
    }

    /** The authority's time when this computer's clock shows {@code localTime}. */
    public Instant correctedTime(Instant localTime) {
        return localTime.plusMillis(clockOffsetMillis);
    }

    /** The code at this computer's {@code localTime}, corrected by the clock offset. */
    public String codeAt(Instant localTime) {
        return totp().generate(seed, correctedTime(localTime));
    }

    /** Seconds until the code shown at {@code localTime} changes (period down to 1). */
    public long secondsLeft(Instant localTime) {
        long second = Math.floorDiv(correctedTime(localTime).toEpochMilli(), 1000);
        return parameters.period() - Math.floorMod(second, parameters.period());
    }

    private Totp totp() {
        return new Totp(HmacAlgorithm.fromName(parameters.algorithm()), parameters.digits(),
                Duration.ofSeconds(parameters.period()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredToken token && serviceId.equals(token.serviceId) && userId.equals(token.userId)
                && serviceName.equals(token.serviceName) && parameters.equals(token.parameters)
                && Arrays.equals(seed, token.seed) && clockOffsetMillis == token.clockOffsetMillis
                && activatedAt.equals(token.activatedAt) && java.util.Objects.equals(server, token.server)
                && Arrays.equals(statusKey, token.statusKey) && state.equals(token.state);
    }

    @Override
    public int hashCode() {
        return serviceId.hashCode() * 31 + userId.hashCode();
    }

    @Override
    public String toString() {
        return "StoredToken[" + serviceId + ":" + userId + ", " + serviceName + ", " + parameters.canonical() + ", " + state + "]";
    }
}
