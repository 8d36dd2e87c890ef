package io.kagi.platform;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for a mail address, wherever Kagi takes or sends to one (the portal's forms, the
 * console, the mail outbox): 4 to 64 half-width characters, as the seed's メールアドレス field says;
 * a local part of RFC 5322 atom characters and dots, with dots anywhere (old Japanese carrier
 * addresses such as {@code taro..yamada@docomo.ne.jp} or {@code hanako.@ezweb.ne.jp} have them and
 * still receive mail, though RFC 5322 and JavaMail's parser refuse them); {@code @}; a domain of at
 * least two DNS labels. No display name, no second address, no white space.
 */
public final class MailAddresses {

    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 64;

    private static final Pattern HALF_WIDTH = Pattern.compile("[\\x21-\\x7E]*");
    private static final Pattern ADDRESS = Pattern.compile(
            "(?=[^@]*[^.@])[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
                    + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /** Why an address is refused, in the order the checks run. */
    public enum Problem {
        /** Empty or missing. */
        REQUIRED,
        /** A character that is not printable half-width ASCII (full-width, space, control). */
        NOT_HALF_WIDTH,
        /** Fewer than {@value #MIN_LENGTH} or more than {@value #MAX_LENGTH} characters. */
        LENGTH,
        /** Not of the form local-part@domain. */
        FORM
    }

    private MailAddresses() {
    }

    /** What is wrong with {@code address}, or empty when it is a valid address. */
    public static Optional<Problem> problem(String address) {
        if (address == null || address.isEmpty()) {
            return Optional.of(Problem.REQUIRED);
        }
        if (!HALF_WIDTH.matcher(address).matches()) {
            return Optional.of(Problem.NOT_HALF_WIDTH);
        }
        if (address.length() < MIN_LENGTH || address.length() > MAX_LENGTH) {
            return Optional.of(Problem.LENGTH);
        }
        if (!ADDRESS.matcher(address).matches()) {
            return Optional.of(Problem.FORM);
        }
        return Optional.empty();
    }

    public static boolean isValid(String address) {
        return problem(address).isEmpty();
    }
}
