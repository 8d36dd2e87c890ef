package io.kagi.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.nulabinc.zxcvbn.StandardDictionaries;

/**
 * The rule for a password a person chooses (portal users and operators alike), after NIST SP
 * 800-63B §3.1.1.2: 8 to 64 characters of any kind (Japanese and full-width included; the text is
 * NFKC-normalised first, as the password factor normalises what is typed at login), no composition
 * rules, and refused when it is a commonly used or breached password, a run of one character or of
 * consecutive characters, or contains the login ID.
 *
 * <p>The blocklist is the 30,000 most common passwords of breached-password corpora as the zxcvbn
 * project ranks them (its {@code passwords} dictionary, shipped inside the product's jar through the
 * {@code com.nulab-inc:zxcvbn} library), compared without regard to letter case.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 64;

    /** Why a chosen password is refused. */
    public enum Problem {
        /** Empty. */
        REQUIRED,
        /** Fewer than {@value #MIN_LENGTH} or more than {@value #MAX_LENGTH} characters. */
        LENGTH,
        /** A control character (or a line break). */
        CHARACTERS,
        /** On the blocklist of common and breached passwords, or a run such as {@code aaaaaaaa}, {@code abcdefgh}. */
        COMMON,
        /** Contains the login ID. */
        CONTAINS_LOGIN_ID
    }

    private PasswordPolicy() {
    }

    /** What is wrong with {@code password} chosen by the holder of {@code loginId}, or empty when it is acceptable. */
    public static Optional<Problem> problem(String password, String loginId) {
        if (password == null || password.isEmpty()) {
            return Optional.of(Problem.REQUIRED);
        }
        String normalised = normalise(password);
        int length = normalised.codePointCount(0, normalised.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return Optional.of(Problem.LENGTH);
        }
        if (normalised.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of(Problem.CHARACTERS);
        }
        String lower = normalised.toLowerCase(Locale.ROOT);
        if (Blocklist.PASSWORDS.contains(lower) || isRun(lower)) {
            return Optional.of(Problem.COMMON);
        }
        if (loginId != null && !loginId.isBlank() && lower.contains(normalise(loginId).toLowerCase(Locale.ROOT))) {
            return Optional.of(Problem.CONTAINS_LOGIN_ID);
        }
        return Optional.empty();
    }

    /** The form in which a password is hashed and checked. */
    public static String normalise(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /** One character repeated, or each character the previous one plus (or minus) one: 11111111, abcdefgh, 87654321. */
    private static boolean isRun(String password) {
        int[] codePoints = password.codePoints().toArray();
        int step = codePoints[1] - codePoints[0];
        if (Math.abs(step) > 1) {
            return false;
        }
        for (int i = 2; i < codePoints.length; i++) {
            if (codePoints[i] - codePoints[i - 1] != step) {
                return false;
            }
        }
        return true;
    }

    /** Loaded on first use (about 30,000 entries). */
    private static final class Blocklist {

        static final Set<String> PASSWORDS = load();

        private static Set<String> load() {
            try {
                return Set.copyOf(StandardDictionaries.PASSWORDS_LOADER.load().getRankedDictionary().keySet());
            } catch (IOException e) {
                throw new UncheckedIOException("The password blocklist did not load", e);
            }
        }
    }
}
