package io.kagi.authority;

import java.util.regex.Pattern;

/**
 * A relying party's own reference to its account (e.g. the portal's user id), unique within the
 * service: 1 to 64 characters of {@code [A-Za-z0-9._:-]}.
 */
public record AccountRef(String value) {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public AccountRef {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("An account reference is 1 to 64 characters of [A-Za-z0-9._:-]");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
