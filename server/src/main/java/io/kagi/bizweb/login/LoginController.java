package io.kagi.bizweb.login;

import io.kagi.signin.LoginRefusal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.GetMapping;

/** BLGI001: the portal's login page (the form is processed by Spring Security's form login). */
@Controller
class LoginController {

    @GetMapping("/")
    String root() {
        return "redirect:/bizweb/login";
    }

    /** {@code ?wait=<seconds>} after a throttled attempt: shown only as a number (the query string is anyone's to write). */
    @GetMapping("/bizweb/login")
    String login(@RequestParam(name = "wait", required = false) String wait, Model model) {
        model.addAttribute("waitSeconds", LoginRefusal.waitSeconds(wait));
        return "bizweb/login";
    }
}
