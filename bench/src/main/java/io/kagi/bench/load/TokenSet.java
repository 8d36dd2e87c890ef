package io.kagi.bench.load;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.kagi.otp.HmacAlgorithm;
import io.kagi.otp.Totp;

/**
 * The benchmark's tokens, numbered 0..count-1: token {@code i} belongs to account {@code a<i>}, its
 * seed is HMAC-SHA256(master, i) (32 bytes, SHA-256 TOTP, 6 digits, 60-second step: the service's
 * default policy). Remembers the last step used per token so that every code sent is fresh: a
 * token gives the code of the current step, then of the next (both inside the server's window of
 * ±1), never one it gave before.
 */
final class TokenSet {

    static final Totp TOTP = new Totp(HmacAlgorithm.SHA256, 6, Duration.ofSeconds(60));
    private static final long NONE = Long.MIN_VALUE;

    private final byte[] master;
    private final int capacity;
    private final AtomicLongArray lastStep;
    private final ThreadLocal<Mac> macs;

    TokenSet(byte[] master, int capacity) {
        this.master = master.clone();
        this.capacity = capacity;
        this.lastStep = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            lastStep.set(i, NONE);
        }
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(this.master, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    int capacity() {
        return capacity;
    }

    static String accountRef(int token) {
        return "a" + token;
    }

    /** The seed of token {@code i}. */
    byte[] seed(int token) {
        Mac mac = macs.get();
        byte[] counter = new byte[8];
        for (int b = 0; b < 8; b++) {
            counter[7 - b] = (byte) ((long) token >>> (8 * b));
        }
        return mac.doFinal(counter);
    }

    /** A code that {@code token} has never given and the server accepts now, or null when it has none left this step. */
    String freshCode(int token, Instant now) {
        long step = freshStep(token, now);
        return step < 0 ? null : code(token, step);
    }

    /**
     * Takes a time step that {@code token} has never given a code for and that the server accepts
     * now (this step or the next), or -1 when it has none left this step.
     */
    long freshStep(int token, Instant now) {
        long current = TOTP.stepAt(now);
        while (true) {
            long last = lastStep.get(token);
            long step = last == NONE ? current : Math.max(current, last + 1);
            if (step > current + 1) {
                return -1;
            }
            if (lastStep.compareAndSet(token, last, step)) {
                return step;
            }
        }
    }

    /** The code of {@code token} at time step {@code step}. */
    String code(int token, long step) {
        return TOTP.generateAtStep(seed(token), step);
    }

    /** Forgets every step used so far (the rows were reset to no accepted step). */
    void forgetSteps() {
        for (int i = 0; i < capacity; i++) {
            lastStep.set(i, NONE);
        }
    }

    /** Whether the token has given a code since it was made or its steps were forgotten. */
    boolean used(int token) {
        return lastStep.get(token) != NONE;
    }
}
