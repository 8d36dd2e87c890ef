package io.kagi.platform;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page knows the bank it belongs to ({@code ${bank}} in templates) and its time zone ({@code ${bankTime}}). */
@ControllerAdvice
class BankModelAdvice {

    private final BankProperties bank;
    private final BankTime bankTime;

    BankModelAdvice(BankProperties bank, BankTime bankTime) {
        this.bank = bank;
        this.bankTime = bankTime;
    }

    @ModelAttribute("bank")
    BankProperties bank() {
        return bank;
    }

    @ModelAttribute("bankTime")
    BankTime bankTime() {
        return bankTime;
    }
}
