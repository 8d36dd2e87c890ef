package io.kagi.authority;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a token is asked to sign (取引認証): the request's purpose and its payee and amount, as the
 * phone shows them. Its canonical text is {@link io.kagi.activation.TransactionSignature#twoChannel}
 * of {@link #fields()}. The account number is masked in {@link #toString()}.
 *
 * @param purpose       what the request is
 * @param bank          the payee's bank (code or name, as the relying party shows it), 1–40 characters
 * @param branch        the payee's branch, 1–40 characters
 * @param accountType   普通, 当座, …, 1–10 characters
 * @param accountNumber the payee's account number, 1–20 digits
 * @param holderName    the payee's name, 1–60 characters
 * @param amount        yen, 1 or more; null for a request without an amount (振込先登録)
 */
public record TransactionText(Purpose purpose, String bank, String branch, String accountType, String accountNumber,
                              String holderName, Long amount) {

    /** What a signing request is, with the words the phone shows. */
    public enum Purpose {
        TRANSFER_APPROVAL("振込承認", true),
        TRANSFER_REQUEST("振込依頼", true),
        PAYEE_REGISTRATION("振込先登録", false);

        private final String label;
        private final boolean transfer;

        Purpose(String label, boolean transfer) {
            this.label = label;
            this.transfer = transfer;
        }

        public String label() {
            return label;
        }

        /** Whether it moves money (covered by {@link SigningPolicy#TRANSFERS}). */
        public boolean transfer() {
            return transfer;
        }

        static Purpose ofLabel(String label) {
            for (Purpose purpose : values()) {
                if (purpose.label.equals(label)) {
                    return purpose;
                }
            }
            throw new IllegalArgumentException("No purpose is called " + label);
        }
    }

    public TransactionText {
        if (purpose == null) {
            throw new IllegalArgumentException("A purpose is required");
        }
        check(bank, 40, "bank");
        check(branch, 40, "branch");
        check(accountType, 10, "account type");
        check(holderName, 60, "holder name");
        if (accountNumber == null || !accountNumber.matches("[0-9]{1,20}")) {
            throw new IllegalArgumentException("The account number is 1 to 20 digits");
        }
        if (amount != null && amount < 1) {
            throw new IllegalArgumentException("An amount is 1 yen or more");
        }
        if (purpose.transfer() && amount == null) {
            throw new IllegalArgumentException("A transfer has an amount");
        }
    }

    private static void check(String value, int longest, String what) {
        if (value == null || value.isBlank() || value.length() > longest || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException("The " + what + " is 1 to " + longest + " characters on one line");
        }
    }

    /** The fields of the canonical text, in its order. */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("purpose", purpose.label());
        fields.put("bank", bank);
        fields.put("branch", branch);
        fields.put("type", accountType);
        fields.put("account", accountNumber);
        fields.put("name", holderName);
        fields.put("amount", amount == null ? "" : Long.toString(amount));
        return fields;
    }

    /** Read back from the fields of a canonical text. */
    static TransactionText of(Map<String, String> fields) {
        String amount = fields.getOrDefault("amount", "");
        return new TransactionText(Purpose.ofLabel(fields.get("purpose")), fields.get("bank"), fields.get("branch"),
                fields.get("type"), fields.get("account"), fields.get("name"),
                amount.isEmpty() ? null : Long.valueOf(amount));
    }

    /** The one line the audit log keeps: the account number masked (the digest covers it in full). */
    public String auditLine() {
        return purpose.label() + " " + bank + " " + branch + " " + accountType + " " + io.kagi.platform.BankAccounts.masked(accountNumber)
                + " " + holderName + (amount == null ? "" : " " + String.format(java.util.Locale.ROOT, "%,d", amount) + "円");
    }

    @Override
    public String toString() {
        return "TransactionText[" + auditLine() + "]";
    }
}
