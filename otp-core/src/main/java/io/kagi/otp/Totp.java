package io.kagi.otp;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * TOTP, the time-based one-time password of RFC 6238: HOTP (RFC 4226) over the number of whole
 * time steps since {@code T0}, {@code T = floor((unixTime - T0) / X)} (RFC 6238 §4.2).
 *
 * <p>The step number is a 64-bit counter, so times past 2038 (RFC 6238 Appendix B's
 * {@code 20000000000}) work. Times before {@code T0} are refused.
 *
 * <p>Instances are immutable and thread-safe: share one per configuration across all request
 * threads. Each thread reuses one {@link javax.crypto.Mac} per algorithm, re-keyed per call.
 * Code that generates many codes for one secret on one thread (a token, a benchmark) can skip the
 * re-keying with {@link #keyed(byte[])}.
 */
public final class Totp {

    /** The largest verification window accepted, in steps either side. */
    public static final int MAXIMUM_WINDOW = 10;

    private final HmacAlgorithm algorithm;
    private final int digits;
    private final Duration step;
    private final Instant t0;
    private final long stepSeconds;
    private final long t0Seconds;

    /**
     * A TOTP with {@code T0} at the Unix epoch (the RFC 6238 default).
     *
     * @param algorithm the HMAC function
     * @param digits    code length, 6 to 8
     * @param step      the time step X, a positive whole number of seconds (RFC 6238 default 30 s)
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public Totp(HmacAlgorithm algorithm, int digits, Duration step) {
        this(algorithm, digits, step, Instant.EPOCH);
    }

    /**
     * @param algorithm the HMAC function
     * @param digits    code length, 6 to 8
     * @param step      the time step X, a positive whole number of seconds
     * @param t0        when step 0 begins, a whole second
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public Totp(HmacAlgorithm algorithm, int digits, Duration step, Instant t0) {
        if (algorithm == null || step == null || t0 == null) {
            throw new IllegalArgumentException("algorithm, step and t0 are required");
        }
        HmacEngine.checkDigits(digits, 6, 8);
        if (step.isNegative() || step.isZero() || step.getNano() != 0) {
            throw new IllegalArgumentException("step must be a positive whole number of seconds, not " + step);
        }
        if (t0.getNano() != 0) {
            throw new IllegalArgumentException("t0 must be a whole second, not " + t0);
        }
        this.algorithm = algorithm;
        this.digits = digits;
        this.step = step;
        this.t0 = t0;
        this.stepSeconds = step.getSeconds();
        this.t0Seconds = t0.getEpochSecond();
    }

    public HmacAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    public Duration step() {
        return step;
    }

    public Instant t0() {
        return t0;
    }

    /**
     * The time step that contains {@code time}: {@code floor((time - T0) / step)}.
     *
     * @throws IllegalArgumentException if {@code time} is before {@code T0}
     */
    public long stepAt(Instant time) {
        if (time == null) {
            throw new IllegalArgumentException("time is missing");
        }
        long elapsed = time.getEpochSecond() - t0Seconds;
        if (elapsed < 0) {
            throw new IllegalArgumentException("time " + time + " is before T0 " + t0);
        }
        return elapsed / stepSeconds;
    }

    /** When {@code step} begins. */
    public Instant startOfStep(long step) {
        return Instant.ofEpochSecond(Math.addExact(t0Seconds, Math.multiplyExact(step, stepSeconds)));
    }

    /**
     * The code at {@code time}, exactly {@link #digits()} characters with leading zeros.
     *
     * @param secret the shared secret, at least 16 bytes; not modified
     * @throws IllegalArgumentException if the secret is too short or the time before {@code T0}
     */
    public String generate(byte[] secret, Instant time) {
        return generateAtStep(secret, stepAt(time));
    }

    /**
     * The code for time step {@code step} (the HOTP counter T of RFC 6238 §4.2).
     *
     * @throws IllegalArgumentException if the secret is too short or the step negative
     */
    public String generateAtStep(byte[] secret, long step) {
        HmacEngine.checkSecret(secret);
        checkStep(step);
        HmacEngine engine = HmacEngine.forCurrentThread(algorithm).key(secret);
        return engine.code(engine.truncatedHmac(step), digits);
    }

    /**
     * Checks {@code code} against every step from {@code stepAt(time) - window} to
     * {@code stepAt(time) + window} (RFC 6238 §5.2) and returns the step it matched, so that the
     * caller can refuse a step at or before the last one it accepted (RFC 6238 §5.2: a code is
     * accepted once).
     *
     * <p>All {@code 2 * window + 1} codes are computed and compared in constant time
     * ({@link java.security.MessageDigest#isEqual}) whether or not, and wherever, the code
     * matches. If two steps of the window produce the same code, the later step is returned.
     * A code of the wrong length or with anything but ASCII digits matches nothing. Steps before
     * {@code T0} never match.
     *
     * @param window steps accepted either side of the current one, 0 to {@value #MAXIMUM_WINDOW}
     * @return the matched step, or empty when the code matches no step of the window
     * @throws IllegalArgumentException if the secret is too short, the window out of range or
     *                                  the time before {@code T0}
     */
    public OptionalLong verify(byte[] secret, CharSequence code, Instant time, int window) {
        HmacEngine.checkSecret(secret);
        checkWindow(window);
        long current = stepAt(time);
        return verify(HmacEngine.forCurrentThread(algorithm).key(secret), digits, code, current, window);
    }

    /**
     * A generator for one secret that keys its MAC once, for a caller that computes many codes
     * for the same secret (a token that shows the next code, a benchmark). The returned object
     * is confined to the calling thread: it throws {@link IllegalStateException} when used from
     * another. It holds the key until it is garbage; create one per thread and secret.
     *
     * @param secret the shared secret, at least 16 bytes; copied by the MAC, not retained
     * @throws IllegalArgumentException if the secret is too short
     */
    public Keyed keyed(byte[] secret) {
        HmacEngine.checkSecret(secret);
        return new Keyed(this, secret);
    }

    static OptionalLong verify(HmacEngine engine, int digits, CharSequence code, long current, int window) {
        byte[] expected = HmacEngine.expectedDigits(code, digits);
        byte[] candidate = new byte[digits];
        long matchedStep = -1;
        for (long step = current - window; step <= current + window; step++) {
            boolean matches = HmacEngine.matches(engine.truncatedHmac(step), candidate, expected) & step >= 0;
            long mask = -(long) (matches ? 1 : 0);
            matchedStep = (step & mask) | (matchedStep & ~mask);
        }
        return matchedStep < 0 ? OptionalLong.empty() : OptionalLong.of(matchedStep);
    }

    private static void checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, not " + step);
        }
    }

    private static void checkWindow(int window) {
        if (window < 0 || window > MAXIMUM_WINDOW) {
            throw new IllegalArgumentException("window must be from 0 to " + MAXIMUM_WINDOW + ", not " + window);
        }
    }

    @Override
    public String toString() {
        return "Totp[" + algorithm + ", " + digits + " digits, step " + step + ", T0 " + t0 + "]";
    }

    /**
     * A {@link Totp} keyed with one secret, confined to the thread that created it. Every call
     * reuses the same keyed {@link javax.crypto.Mac} and buffers: no re-keying and no allocation
     * but the returned code. Not thread-safe by design; calls from another thread throw
     * {@link IllegalStateException} rather than corrupt the shared buffers.
     */
    public static final class Keyed {

        private final Totp totp;
        private final HmacEngine engine;
        private final Thread owner;

        private Keyed(Totp totp, byte[] secret) {
            this.totp = totp;
            this.engine = new HmacEngine(totp.algorithm).key(secret);
            this.owner = Thread.currentThread();
        }

        public Totp totp() {
            return totp;
        }

        /** Like {@link Totp#generate(byte[], Instant)} for this secret. */
        public String generate(Instant time) {
            return generateAtStep(totp.stepAt(time));
        }

        /** Like {@link Totp#generateAtStep(byte[], long)} for this secret. */
        public String generateAtStep(long step) {
            checkOwner();
            checkStep(step);
            return engine.code(engine.truncatedHmac(step), totp.digits);
        }

        /** Like {@link Totp#verify(byte[], CharSequence, Instant, int)} for this secret. */
        public OptionalLong verify(CharSequence code, Instant time, int window) {
            checkOwner();
            checkWindow(window);
            return Totp.verify(engine, totp.digits, code, totp.stepAt(time), window);
        }

        private void checkOwner() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("Totp.Keyed is confined to the thread that created it");
            }
        }

        @Override
        public String toString() {
            return "Totp.Keyed[" + totp + "]";
        }
    }
}
