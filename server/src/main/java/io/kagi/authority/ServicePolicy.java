package io.kagi.authority;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A service's rules for its tokens. The defaults are the product's (RFC 6238 TOTP with
 * HMAC-SHA-256, 6 digits, 60-second step, ±1 step; lock after 5 failures; 24 h to activate;
 * 30 min cooling-off after a revoke; an OTP at every login).
 *
 * @param algorithm          {@code SHA1}, {@code SHA256} or {@code SHA512}
 * @param digits             6 to 8
 * @param step               the TOTP period, 1 to 600 whole seconds
 * @param window             steps accepted either side of the current one, 0 to 10
 * @param lockThreshold      consecutive failures that lock a token, 1 to 100
 * @param activationValidity how long an issued token can be activated, whole hours
 * @param revokeCoolingOff   how long after a revoke a new token can be issued, whole minutes
 * @param otpAtLogin         whether the service asks for an OTP at every login
 */
public record ServicePolicy(String algorithm, int digits, Duration step, int window, int lockThreshold,
                            Duration activationValidity, Duration revokeCoolingOff, boolean otpAtLogin) {

    private static final Pattern ALGORITHM = Pattern.compile("SHA1|SHA256|SHA512");

    public ServicePolicy {
        if (algorithm == null || !ALGORITHM.matcher(algorithm).matches()) {
            throw new IllegalArgumentException("The algorithm is SHA1, SHA256 or SHA512");
        }
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("A code has 6 to 8 digits");
        }
        if (step == null || step.getNano() != 0 || step.getSeconds() < 1 || step.getSeconds() > 600) {
            throw new IllegalArgumentException("The step is 1 to 600 whole seconds");
        }
        if (window < 0 || window > 10) {
            throw new IllegalArgumentException("The window is 0 to 10 steps");
        }
        if (lockThreshold < 1 || lockThreshold > 100) {
            throw new IllegalArgumentException("The lock threshold is 1 to 100");
        }
        if (activationValidity == null || activationValidity.toMinutes() % 60 != 0 || activationValidity.toHours() < 1) {
            throw new IllegalArgumentException("The activation validity is a whole number of hours");
        }
        if (revokeCoolingOff == null || revokeCoolingOff.getSeconds() % 60 != 0 || revokeCoolingOff.isNegative()) {
            throw new IllegalArgumentException("The cooling-off is a whole number of minutes");
        }
    }

    public static ServicePolicy defaults() {
        return new ServicePolicy("SHA256", 6, Duration.ofSeconds(60), 1, 5, Duration.ofHours(24),
                Duration.ofMinutes(30), true);
    }

    /** Each rule and its value in words an audit row can hold ({@code digits=6}, {@code step=60s}, …), in a fixed order. */
    public Map<String, String> describe() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("algorithm", algorithm);
        rules.put("digits", String.valueOf(digits));
        rules.put("step", step.getSeconds() + "s");
        rules.put("window", String.valueOf(window));
        rules.put("lockThreshold", String.valueOf(lockThreshold));
        rules.put("activationValidity", activationValidity.toHours() + "h");
        rules.put("revokeCoolingOff", revokeCoolingOff.toMinutes() + "min");
        rules.put("otpAtLogin", String.valueOf(otpAtLogin));
        return rules;
    }

    public ServicePolicy withLockThreshold(int threshold) {
        return new ServicePolicy(algorithm, digits, step, window, threshold, activationValidity, revokeCoolingOff, otpAtLogin);
    }

    public ServicePolicy withRevokeCoolingOff(Duration coolingOff) {
        return new ServicePolicy(algorithm, digits, step, window, lockThreshold, activationValidity, coolingOff, otpAtLogin);
    }

    public ServicePolicy withOtp(String algorithm, int digits, Duration step) {
        return new ServicePolicy(algorithm, digits, step, window, lockThreshold, activationValidity, revokeCoolingOff, otpAtLogin);
    }
}
