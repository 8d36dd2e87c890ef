package io.kagi.authority;

/** A service's サービスID: exactly eight half-width digits, as printed in the issuance mail. */
public record ServiceId(String digits) {

    public ServiceId {
        if (digits == null || !digits.matches("[0-9]{8}")) {
            throw new IllegalArgumentException("A サービスID is exactly 8 digits");
        }
    }

    @Override
    public String toString() {
        return digits;
    }
}
