package io.kagi.bizweb.web;

import java.security.Principal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The top page after login. */
@Controller
class TopController {

    @GetMapping("/bizweb/top")
    String top(Principal principal, Model model) {
        model.addAttribute("loginId", principal.getName());
        return "bizweb/top";
    }
}
