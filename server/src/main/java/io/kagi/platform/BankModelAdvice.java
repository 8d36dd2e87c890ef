package io.kagi.platform;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page knows the bank it belongs to ({@code ${bank}} in templates). */
@ControllerAdvice
class BankModelAdvice {

    private final BankProperties bank;

    BankModelAdvice(BankProperties bank) {
        this.bank = bank;
    }

    @ModelAttribute("bank")
    BankProperties bank() {
        return bank;
    }
}
