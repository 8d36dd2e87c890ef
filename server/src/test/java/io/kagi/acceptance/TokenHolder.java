package io.kagi.acceptance;

import java.util.Map;

/**
 * What holds the customer's tokens in the walk: the token app on a phone, or the command-line
 * token. Each records its own steps in the walkthrough.
 */
interface TokenHolder {

    /** §3: the customer reads the トークン発行のお知らせ where it arrived. */
    void readMail(String section, IssuanceMail mail);

    /** §4–6: opens the app from the mail's address and activates the first token (初期設定). */
    void activateFirst(IssuanceMail mail, String activationPassword);

    /** §7: the code shown for this service now. */
    String showCode(String section, String serviceId);

    /** §10: the application's clock has moved; the customer opens the holder again and reads the code. */
    String openLater(String section, String serviceId);

    /** §11: adds another service's token (設定 → トークン追加). */
    void addToken(IssuanceMail mail, String activationPassword);

    /** §11: the clock has moved; every code shown now, by サービスID. */
    Map<String, String> showCodes(String section);

    /**
     * §12 取引認証: a transfer to {@code account} of {@code amount} yen waits for the customer's
     * approval on the PC. Answers the offline code to type on the PC, or null when the holder
     * approved it on the phone (two-channel) and the PC moves on by itself.
     */
    String approveTransfer(String section, String account, String amount);
}
