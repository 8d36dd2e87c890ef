package io.kagi.platform;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Every page knows the bank it belongs to ({@code ${bank}} in templates), its time zone ({@code ${bankTime}}) and the token app's address ({@code ${appUrl}}).
 * Pages only (the packages with page controllers): a REST call would build a model it never uses
 * (3 % of a verification's CPU, issue 24).
 */
@ControllerAdvice(basePackages = {"io.kagi.bizweb", "io.kagi.console", "io.kagi.mail"})
class BankModelAdvice {

    private final BankProperties bank;
    private final BankTime bankTime;
    private final Origins origins;

    BankModelAdvice(BankProperties bank, BankTime bankTime, Origins origins) {
        this.bank = bank;
        this.bankTime = bankTime;
        this.origins = origins;
    }

    /** The token app's address (on its own origin), for pages that tell where to open it. */
    @ModelAttribute("appUrl")
    String appUrl() {
        return origins.appUrl();
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
