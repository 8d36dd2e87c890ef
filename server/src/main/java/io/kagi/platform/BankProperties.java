package io.kagi.platform;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bank that runs this Kagi: its name as shown on pages and as the sender of mails, its support
 * desk, and the public address the token app and mails link to.
 *
 * @param name the bank's display name
 * @param supportPhone the support desk's telephone number, as printed in mails
 * @param supportHours the support desk's opening hours, as printed in mails
 * @param publicUrl the address customers reach this server at, without a trailing slash
 * @param timeZone the bank's time zone: every time shown to a person is in it ({@link BankTime})
 */
@ConfigurationProperties("kagi.bank")
public record BankProperties(
        @DefaultValue("かぎ銀行") String name,
        @DefaultValue("0120-000-000") String supportPhone,
        @DefaultValue("9:00〜19:00（銀行休業日を除く）") String supportHours,
        @DefaultValue("http://localhost:8080") String publicUrl,
        @DefaultValue("Asia/Tokyo") ZoneId timeZone) {

    public BankProperties {
        while (publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
    }
}
