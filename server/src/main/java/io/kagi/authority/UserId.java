package io.kagi.authority;

import java.util.regex.Pattern;

/** A token user's ユーザID within a service: exactly six half-width digits (leading zeros kept). */
public record UserId(String digits) {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{6}");

    public UserId {
        if (digits == null || !DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("A ユーザID is exactly 6 digits");
        }
    }

    @Override
    public String toString() {
        return digits;
    }
}
