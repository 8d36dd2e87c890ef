package io.kagi.console.web;

import io.kagi.console.KeyRotation;
import io.kagi.console.OperatorAccount;
import io.kagi.platform.Resealing;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * CKEY001 鍵 (supervisors): the keys of the ring, the active one, how many values each seals, and
 * a re-seal pass started now. Removing a key is configuration, not a button: the page says when a
 * key seals nothing any more and can be taken out of KAGI_KEYS_RING or the keys file.
 */
@Controller
class KeyController {

    private final KeyRotation keys;

    KeyController(KeyRotation keys) {
        this.keys = keys;
    }

    @GetMapping("/console/keys")
    String keys(Model model) {
        model.addAttribute("keys", keys.keys());
        model.addAttribute("columns", keys.sealedColumns());
        return "console/keys";
    }

    @PostMapping("/console/keys/reseal")
    String reseal(@AuthenticationPrincipal OperatorAccount operator, HttpServletRequest request,
                  RedirectAttributes redirect) {
        Resealing.Pass pass = keys.resealNow(operator, ClientAddress.of(request));
        redirect.addFlashAttribute("flashNotice", "console.keys.resealed");
        // Flash attributes live in the session store: plain numbers, not the record.
        redirect.addFlashAttribute("moved", pass.moved());
        redirect.addFlashAttribute("changedMeanwhile", pass.changedMeanwhile());
        redirect.addFlashAttribute("unopenable", pass.unopenable());
        return "redirect:/console/keys";
    }
}
