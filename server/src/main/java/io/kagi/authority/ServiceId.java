package io.kagi.authority;

import java.util.regex.Pattern;

/** A service's サービスID: exactly eight half-width digits, as printed in the issuance mail. */
public record ServiceId(String digits) {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{8}");

    public ServiceId {
        if (digits == null || !DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("A サービスID is exactly 8 digits");
        }
    }

    @Override
    public String toString() {
        return digits;
    }
}
