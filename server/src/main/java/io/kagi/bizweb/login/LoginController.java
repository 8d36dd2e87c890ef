package io.kagi.bizweb.login;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** BLGI001: the portal's login page (the form is processed by Spring Security's form login). */
@Controller
class LoginController {

    @GetMapping("/")
    String root() {
        return "redirect:/bizweb/login";
    }

    @GetMapping("/bizweb/login")
    String login() {
        return "bizweb/login";
    }
}
