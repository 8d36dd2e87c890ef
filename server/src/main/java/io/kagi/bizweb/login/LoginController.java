package io.kagi.bizweb.login;

import io.kagi.bizweb.portal.CertificateLogin;
import io.kagi.signin.LoginRefusal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.GetMapping;

/** BLGI001: the portal's login page (the form is processed by Spring Security's form login). */
@Controller
class LoginController {

    private final CertificateLogin certificateLogin;

    LoginController(CertificateLogin certificateLogin) {
        this.certificateLogin = certificateLogin;
    }

    @GetMapping("/")
    String root() {
        return "redirect:/bizweb/login";
    }

    /** {@code ?wait=<seconds>} after a throttled attempt: shown only as a number (the query string is anyone's to write). */
    @GetMapping("/bizweb/login")
    String login(@RequestParam(name = "wait", required = false) String wait, HttpServletRequest request, Model model) {
        model.addAttribute("waitSeconds", LoginRefusal.waitSeconds(wait));
        // 電子証明書方式のお客様: the certificate this connection presented, if any (io.kagi.bizweb.certificates).
        model.addAttribute("certificatePanel", certificateLogin.panel(request));
        return "bizweb/login";
    }
}
