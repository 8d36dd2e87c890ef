package io.kagi.bizweb.top;

import io.kagi.bizweb.portal.LoginHistory;
import io.kagi.bizweb.portal.PortalAccount;
import io.kagi.bizweb.portal.PortalTokens;
import io.kagi.bizweb.portal.Workplace;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

import io.kagi.platform.BankTime;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * BTOP001, the top page: the company, the user (様) and their mail address, ご利用履歴 (the last
 * three successful logins, in the bank's time zone), the bank's お知らせ (for every company or the user's, in
 * the user's language when the notice was written in it), the number of requests waiting for
 * the user's approval, and a reminder to issue a token while the user has none.
 */
@Controller
class TopController {

    private final Workplace workplace;
    private final LoginHistory history;
    private final Notices notices;
    private final PortalTokens tokens;
    private final BankTime bankTime;

    private final io.kagi.certificates.ClientCertificates certificates;

    TopController(Workplace workplace, LoginHistory history, Notices notices, PortalTokens tokens, BankTime bankTime,
                  io.kagi.certificates.ClientCertificates certificates) {
        this.certificates = certificates;
        this.bankTime = bankTime;
        this.workplace = workplace;
        this.history = history;
        this.notices = notices;
        this.tokens = tokens;
    }

    record NoticeView(String title, String body, ZonedDateTime publishedFrom) {
    }

    @GetMapping("/bizweb/top")
    String top(@AuthenticationPrincipal PortalAccount user, Locale locale, Model model) {
        Workplace.Profile profile = workplace.profile(user);
        model.addAttribute("profile", profile);
        List<ZonedDateTime> logins = history.latest(user.id(), 3).stream().map(bankTime::at).toList();
        model.addAttribute("logins", logins);
        model.addAttribute("notices", notices.current(user.companyId(), locale).stream()
                .map(notice -> new NoticeView(notice.title(), notice.body(), bankTime.at(notice.publishedFrom()))).toList());
        model.addAttribute("pendingApprovals", profile.pendingApprovals());
        model.addAttribute("tokenSituation", tokens.situation(user).name());
        // 電子証明書: a notice within kagi.certificates.expiry-notice (30 days) of the user's certificate's end.
        model.addAttribute("certificatesOffered", certificates.enabled());
        model.addAttribute("certificateExpiring", certificates.enabled()
                ? certificates.expiringSoon(user.id()).map(found -> bankTime.minutes(found.notAfter())).orElse(null) : null);
        return "bizweb/top";
    }
}
