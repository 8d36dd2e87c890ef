package io.kagi.acceptance;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * A トークン発行のお知らせ as the customer reads it: the decoded text, and in it the サービスID, the
 * ユーザID and the app's address for smartphones.
 */
record IssuanceMail(String from, String subject, String text, String serviceId, String userId, String appAddress) {

    private static final Pattern SERVICE_ID = Pattern.compile("サービスID[\\s　]*：[\\s　]*(\\d{8})");
    private static final Pattern USER_ID = Pattern.compile("ユーザID[\\s　]*：[\\s　]*(\\d{6})");
    private static final Pattern ADDRESS = Pattern.compile("https?://\\S+");

    static IssuanceMail read(MimeMessage message) {
        try {
            String text = ((String) message.getContent()).replace("\r\n", "\n");
            InternetAddress sender = (InternetAddress) message.getFrom()[0];
            int forSmartphones = text.indexOf("スマートフォンの方");
            if (forSmartphones < 0) {
                throw new AssertionError("The mail has no address for smartphones:\n" + text);
            }
            Matcher address = ADDRESS.matcher(text);
            return new IssuanceMail(sender.toUnicodeString(), message.getSubject(), text,
                    find(SERVICE_ID, text), find(USER_ID, text),
                    address.find(forSmartphones) ? address.group() : null);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("Cannot read the mail", e);
        }
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("No " + pattern + " in the mail:\n" + text);
        }
        return matcher.group(1);
    }
}
