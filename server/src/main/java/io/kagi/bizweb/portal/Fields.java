package io.kagi.bizweb.portal;

import java.util.regex.Pattern;

import io.kagi.platform.BankAccounts;
import io.kagi.platform.MailAddresses;
import io.kagi.signin.PasswordPolicy;

import org.springframework.validation.Errors;

/**
 * The field rules of the portal's forms, as the seed states them, each rejecting into the form's
 * {@link Errors} under the field's name so that the page shows the message beside the field.
 * Message codes are {@code error.<rule>} in {@code messages/bizweb*.properties}.
 */
public final class Fields {

    /** Half-width alphanumerics and symbols: printable ASCII without space. */
    private static final Pattern HALF_WIDTH = Pattern.compile("[\\x21-\\x7E]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]*");
    private static final Pattern ALPHANUMERIC = Pattern.compile("[A-Za-z0-9]*");

    private Fields() {
    }

    public static boolean required(Errors errors, String field, String value) {
        if (value == null || value.isEmpty()) {
            errors.rejectValue(field, "error.required");
            return false;
        }
        return true;
    }

    /** 携帯電話メールアドレス: {@link MailAddresses}' rule (4 to 64 half-width characters, a valid address). */
    public static void mailAddress(Errors errors, String field, String value) {
        MailAddresses.problem(value).ifPresent(problem -> errors.rejectValue(field, switch (problem) {
            case REQUIRED -> "error.required";
            case NOT_HALF_WIDTH -> "error.halfWidth";
            case LENGTH -> "error.mailLength";
            case FORM -> "error.mailInvalid";
        }));
    }

    /** 利用開始パスワード: 4 to 8 half-width digits. */
    public static void activationPassword(Errors errors, String field, String value) {
        if (!required(errors, field, value)) {
            return;
        }
        if (!DIGITS.matcher(value).matches()) {
            errors.rejectValue(field, "error.digitsOnly");
        } else if (value.length() < 4 || value.length() > 8) {
            errors.rejectValue(field, "error.activationPasswordLength");
        }
    }

    /** ログインID: 6 to 12 half-width alphanumerics with at least one letter and one digit. */
    public static void loginId(Errors errors, String field, String value) {
        if (!required(errors, field, value)) {
            return;
        }
        if (!ALPHANUMERIC.matcher(value).matches()) {
            errors.rejectValue(field, "error.alphanumericOnly");
        } else if (value.length() < 6 || value.length() > 12) {
            errors.rejectValue(field, "error.loginIdLength");
        } else if (!hasLetterAndDigit(value)) {
            errors.rejectValue(field, "error.letterAndDigit");
        }
    }

    /** ログインパスワード: {@link PasswordPolicy} (8 to 64 characters, not common or breached, not containing the login ID). */
    public static void loginPassword(Errors errors, String field, String value, String loginId) {
        PasswordPolicy.problem(value, loginId).ifPresent(problem -> errors.rejectValue(field, switch (problem) {
            case REQUIRED -> "error.required";
            case LENGTH -> "error.passwordLength";
            case CHARACTERS -> "error.passwordCharacters";
            case COMMON -> "error.passwordCommon";
            case CONTAINS_LOGIN_ID -> "error.passwordIsLoginId";
        }));
    }

    /** A confirmation field: required, and equal to the first entry (compared only when the first entry was valid). */
    public static void confirmation(Errors errors, String field, String value, String firstField, String first) {
        if (!required(errors, field, value) || errors.hasFieldErrors(firstField)) {
            return;
        }
        if (!value.equals(first)) {
            errors.rejectValue(field, "error.confirmationDiffers");
        }
    }

    /** 支店番号: {@link BankAccounts#isBranchCode}. */
    public static void branchCode(Errors errors, String field, String value) {
        digits(errors, field, value, BankAccounts.BRANCH_CODE_DIGITS);
    }

    /** 口座番号: {@link BankAccounts#isAccountNumber}. */
    public static void accountNumber(Errors errors, String field, String value) {
        digits(errors, field, value, BankAccounts.ACCOUNT_NUMBER_DIGITS);
    }

    /** 金融機関コード: {@link BankAccounts#isBankCode}. */
    public static void bankCode(Errors errors, String field, String value) {
        digits(errors, field, value, BankAccounts.BANK_CODE_DIGITS);
    }

    private static void digits(Errors errors, String field, String value, int length) {
        if (required(errors, field, value) && (!DIGITS.matcher(value).matches() || value.length() != length)) {
            errors.rejectValue(field, "error.exactDigits", new Object[] {length}, null);
        }
    }

    public static void maxLength(Errors errors, String field, String value, int length) {
        if (required(errors, field, value) && (value.isBlank() || value.length() > length)) {
            errors.rejectValue(field, "error.maxLength", new Object[] {length}, null);
        }
    }

    /** 受取人名: half-width katakana (with ﾞ and ﾟ), upper-case letters, digits, space and ()ｰ.-/ as banks allow. */
    private static final Pattern HOLDER_NAME = Pattern.compile("[ｦｰ-ﾟA-Z0-9 ()\\-./]*");

    /** The account types of a payee: 普通, 当座, 貯蓄. */
    static final java.util.Set<String> PAYEE_ACCOUNT_TYPES = java.util.Set.of("ORDINARY", "CURRENT", "SAVINGS");

    /** The largest amount of one transfer request, in yen. */
    static final long MAX_AMOUNT = 9_999_999_999L;

    public static void accountType(Errors errors, String field, String value) {
        if (value == null || !PAYEE_ACCOUNT_TYPES.contains(value)) {
            errors.rejectValue(field, "error.accountType");
        }
    }

    /** 受取人名: 1 to 30 half-width characters of {@link #HOLDER_NAME}, not starting with a space. */
    public static void holderName(Errors errors, String field, String value) {
        if (!required(errors, field, value)) {
            return;
        }
        if (!HOLDER_NAME.matcher(value).matches() || value.isBlank()) {
            errors.rejectValue(field, "error.halfWidthKana");
        } else if (value.length() > 30) {
            errors.rejectValue(field, "error.maxLength", new Object[] {30}, null);
        } else if (value.startsWith(" ")) {
            errors.rejectValue(field, "error.leadingSpace");
        }
    }

    /** An amount in whole yen: half-width digits, 1 to {@link #MAX_AMOUNT}; returns it, or -1 when rejected. */
    public static long amount(Errors errors, String field, String value) {
        if (!required(errors, field, value)) {
            return -1;
        }
        if (!DIGITS.matcher(value).matches() || value.length() > 12) {
            errors.rejectValue(field, "error.amountDigits");
            return -1;
        }
        long amount = Long.parseLong(value);
        if (amount < 1 || amount > MAX_AMOUNT) {
            errors.rejectValue(field, "error.amountRange", new Object[] {String.format("%,d", MAX_AMOUNT)}, null);
            return -1;
        }
        return amount;
    }

    /** A date (yyyy-MM-dd) from {@code today} to a year later; returns it, or null when rejected. */
    public static java.time.LocalDate dateFrom(Errors errors, String field, String value, java.time.LocalDate today) {
        if (!required(errors, field, value)) {
            return null;
        }
        java.time.LocalDate date;
        try {
            date = java.time.LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException malformed) {
            errors.rejectValue(field, "error.date");
            return null;
        }
        if (date.isBefore(today)) {
            errors.rejectValue(field, "error.dateInPast");
            return null;
        }
        if (date.isAfter(today.plusYears(1))) {
            errors.rejectValue(field, "error.dateTooFar");
            return null;
        }
        return date;
    }

    private static boolean hasLetterAndDigit(String value) {
        return value.chars().anyMatch(c -> c >= '0' && c <= '9')
                && value.chars().anyMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }
}
