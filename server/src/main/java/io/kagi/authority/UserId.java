package io.kagi.authority;

/** A token user's ユーザID within a service: exactly six half-width digits (leading zeros kept). */
public record UserId(String digits) {

    public UserId {
        if (digits == null || !digits.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("A ユーザID is exactly 6 digits");
        }
    }

    @Override
    public String toString() {
        return digits;
    }
}
