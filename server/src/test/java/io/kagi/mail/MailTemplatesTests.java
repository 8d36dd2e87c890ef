package io.kagi.mail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;

import io.kagi.mail.MailTemplates.RenderedMail;
import io.kagi.platform.BankProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MailTemplatesTests {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final BankProperties BANK = new BankProperties("かぎ銀行", "0120-123-456", "9:00〜19:00（銀行休業日を除く）",
            "https://otp.kagi.example/", TOKYO);

    private final MailTemplates templates = new MailTemplates(BANK, settings(null), origins(BANK));

    @Test
    void issuanceNoticeInJapaneseCarriesBothIdsTheAppAndTheSupportDesk() {
        RenderedMail mail = templates.render("token-issued", Locale.JAPANESE, issuance());

        assertThat(mail.subject()).isEqualTo("【かぎ銀行】トークン発行のお知らせ");
        assertThat(mail.language()).isEqualTo("ja");
        assertThat(mail.body())
                .contains("サービスID：12345678", "ユーザID　：012345")
                .contains("利用開始パスワード", "4〜8桁の数字")
                .contains("https://app.kagi.example/app/")
                .contains("携帯電話ではご利用いただけません")
                .contains("0120-123-456", "9:00〜19:00（銀行休業日を除く）")
                .contains("控え")
                .contains("2025年4月2日 10時30分");
    }

    @Test
    void issuanceNoticeSpeaksEnglishWhenTheUserDid() {
        RenderedMail mail = templates.render("token-issued", Locale.ENGLISH, issuance());

        assertThat(mail.subject()).isEqualTo("かぎ銀行: Your one-time password token has been issued");
        assertThat(mail.body()).contains("Service ID: 12345678", "User ID:    012345", "https://app.kagi.example/app/",
                "feature phone", "0120-123-456", "2 Apr 2025, 10:30");
    }

    @Test
    void otherLanguagesGetTheJapaneseNotice() {
        RenderedMail mail = templates.render("token-issued", Locale.FRENCH, issuance());

        assertThat(mail.language()).isEqualTo("ja");
        assertThat(mail.subject()).contains("トークン発行のお知らせ");
    }

    @Test
    void everyNoticeExistsInBothLanguagesWithASubject() {
        Map<String, Object> token = Map.of("serviceId", "12345678", "serviceName", "かぎ銀行ビジネスWeb", "userId", "012345",
                "at", ZonedDateTime.of(2025, 4, 1, 10, 30, 0, 0, TOKYO));
        for (Locale locale : new Locale[] {Locale.JAPANESE, Locale.ENGLISH}) {
            assertThat(templates.render("token-activated", locale, token).body()).contains("012345");
            assertThat(templates.render("token-locked", locale, token).body()).contains("012345");
            assertThat(templates.render("token-revoked", locale, token).body()).contains("012345");
            assertThat(templates.render("token-locked", locale, token).language()).isEqualTo(locale.getLanguage());
        }
        assertThat(templates.render("token-locked", Locale.JAPANESE, token).subject()).isEqualTo("【かぎ銀行】トークン利用停止のお知らせ");
        assertThat(templates.render("token-revoked", Locale.JAPANESE, token).subject()).isEqualTo("【かぎ銀行】トークン失効のお知らせ");
        assertThat(templates.render("token-activated", Locale.JAPANESE, token).subject()).isEqualTo("【かぎ銀行】トークン設定完了のお知らせ");
    }

    @Test
    void aBanksOwnTemplateTakesPrecedenceOverTheBuiltInOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token-issued_ja.txt"),
                "Subject: [(${bank.name()})]より大切なお知らせ\n\nサービスIDは [(${serviceId})] です。\n", StandardCharsets.UTF_8);
        MailTemplates edited = new MailTemplates(BANK, settings(dir), origins(BANK));

        RenderedMail mail = edited.render("token-issued", Locale.JAPANESE, issuance());

        assertThat(mail.subject()).isEqualTo("かぎ銀行より大切なお知らせ");
        assertThat(mail.body()).isEqualTo("サービスIDは 12345678 です。\n");
        assertThat(edited.render("token-issued", Locale.ENGLISH, issuance()).subject())
                .as("languages the bank did not edit keep the built-in template")
                .endsWith("has been issued");
    }

    @Test
    void refusesATemplateWithoutItsSubjectLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("token-issued_ja.txt"), "本文だけ\n", StandardCharsets.UTF_8);
        MailTemplates edited = new MailTemplates(BANK, settings(dir), origins(BANK));

        assertThatIllegalArgumentException().isThrownBy(() -> edited.render("token-issued", Locale.JAPANESE, issuance()))
                .withMessageContaining("Subject:");
    }

    @Test
    void refusesUnknownTemplatesAndNamesThatCouldLeaveTheDirectory() {
        assertThatIllegalArgumentException().isThrownBy(() -> templates.render("no-such-notice", Locale.JAPANESE, Map.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> templates.render("../secrets", Locale.JAPANESE, Map.of()));
    }

    @Test
    void aModelValueCannotAddALineToTheSubject() {
        Map<String, Object> model = Map.of("serviceId", "12345678", "serviceName", "x", "userId", "012345",
                "at", ZonedDateTime.of(2025, 4, 1, 10, 30, 0, 0, TOKYO));
        BankProperties sneaky = new BankProperties("銀行\nBcc: someone@example.com", "0", "0", "https://x.example", TOKYO);

        assertThatIllegalArgumentException().isThrownBy(
                () -> new MailTemplates(sneaky, settings(null), origins(sneaky)).render("token-locked", Locale.JAPANESE, model));
    }

    @Test
    void recipientsAreSingleBareAddresses() {
        assertThat(Outbox.checkedAddress(" hanako@oozora.example ")).isEqualTo("hanako@oozora.example");
        assertThat(Outbox.checkedAddress("taro..yamada@docomo.ne.jp")).as("old carrier address").isEqualTo("taro..yamada@docomo.ne.jp");
        assertThat(Outbox.checkedAddress("hanako.@ezweb.ne.jp")).as("old carrier address").isEqualTo("hanako.@ezweb.ne.jp");
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("hanako@oozora.example\r\nBcc: x@y.example"));
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("a@x.example, b@y.example"));
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("Hanako <hanako@oozora.example>"));
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("not an address"));
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("hanako@localhost"));
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("hanako@-oozora.example"));
        assertThatIllegalArgumentException().isThrownBy(() -> Outbox.checkedAddress("はなこ@oozora.example"));
    }

    @Test
    void backOffDoublesFromTheInitialWaitUpToTheMaximum() {
        MailSettings settings = new MailSettings(false, "otp@bank.example", 8, Duration.ofMinutes(1), Duration.ofMinutes(10),
                Duration.ofSeconds(2), Duration.ofMinutes(5), 20, true, "node-1", null, TOKYO);

        assertThat(settings.backoffAfter(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.backoffAfter(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.backoffAfter(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(settings.backoffAfter(5)).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.backoffAfter(30)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void messageIdIsStablePerMailAndNamesTheSendersDomain() {
        java.time.Instant created = java.time.Instant.parse("2025-04-01T01:30:00Z");

        assertThat(OutboxSender.messageId(42, created, "otp@bank.example")).isEqualTo("<kagi-mail.42.1743471000000@bank.example>");
    }

    private static Map<String, Object> issuance() {
        return Map.of("serviceId", "12345678", "serviceName", "かぎ銀行ビジネスWeb", "userId", "012345",
                "at", ZonedDateTime.of(2025, 4, 1, 10, 30, 0, 0, TOKYO),
                "activationDeadline", ZonedDateTime.of(2025, 4, 2, 10, 30, 0, 0, TOKYO));
    }

    private static MailSettings settings(Path templatesDir) {
        return new MailSettings(false, "otp@bank.example", 8, Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofSeconds(2), Duration.ofMinutes(5), 20, true, "node-1", templatesDir, TOKYO);
    }

    /** The token app on a host name of its own (behind the bank's proxy). */
    private static io.kagi.platform.Origins origins(io.kagi.platform.BankProperties bank) {
        return new io.kagi.platform.Origins(bank, -1, "https://app.kagi.example", -1);
    }
}
