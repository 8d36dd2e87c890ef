package io.kagi.platform;

/**
 * The one rule for a Japanese bank account's numbers, wherever Kagi takes one (a company's contract
 * in the console, first use, a payee): 支店番号 three digits, 口座番号 seven digits (shorter numbers
 * are written with leading zeros, as on a bankbook); and how an account number may appear in the
 * audit log and in logs (at most its last four digits).
 */
public final class BankAccounts {

    public static final int BRANCH_CODE_DIGITS = 3;
    public static final int ACCOUNT_NUMBER_DIGITS = 7;
    /** 金融機関コード of a payee's bank. */
    public static final int BANK_CODE_DIGITS = 4;

    private BankAccounts() {
    }

    public static boolean isBranchCode(String value) {
        return digits(value, BRANCH_CODE_DIGITS);
    }

    public static boolean isAccountNumber(String value) {
        return digits(value, ACCOUNT_NUMBER_DIGITS);
    }

    public static boolean isBankCode(String value) {
        return digits(value, BANK_CODE_DIGITS);
    }

    /** At most the last four digits of an account number, for the audit log and logs. */
    public static String masked(String accountNumber) {
        if (accountNumber == null || accountNumber.length() < 4) {
            return "***";
        }
        return "***" + accountNumber.substring(accountNumber.length() - 4);
    }

    private static boolean digits(String value, int length) {
        if (value == null || value.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
