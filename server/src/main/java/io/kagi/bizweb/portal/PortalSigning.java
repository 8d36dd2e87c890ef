package io.kagi.bizweb.portal;

import java.util.Optional;

import io.kagi.authority.TransactionSigning;
import io.kagi.authority.TransactionSigning.SigningRequest;
import io.kagi.authority.TransactionSigning.SigningState;
import io.kagi.authority.TransactionText;

import org.springframework.stereotype.Component;

/**
 * The portal's 取引認証 (docs/transaction-signing.md): whether its service's policy asks a purpose to
 * be signed, and its users' signing requests at the authority, in-process. The confirm screens
 * ask for a request and hold its reference with the operation; {@link ConfirmedWork#executeSigned}
 * completes it.
 */
@Component
public class PortalSigning {

    private final TransactionSigning signing;
    private final PortalTokens tokens;

    PortalSigning(TransactionSigning signing, PortalTokens tokens) {
        this.signing = signing;
        this.tokens = tokens;
    }

    /**
     * The account type as the phone shows it, in the bank's words (the canonical text is the
     * phone's text, so it does not follow the page's language).
     */
    public static String accountTypeShown(String code) {
        return switch (code) {
            case "ORDINARY" -> "普通";
            case "CURRENT" -> "当座";
            case "SAVINGS" -> "貯蓄";
            default -> code;
        };
    }

    /** Whether the portal's policy asks this purpose to be signed on the phone. */
    public boolean required(TransactionText.Purpose purpose) {
        return signing.policy(tokens.service()).covers(purpose);
    }

    /** A new signing request of the user's token for what the confirm screen shows; empty without a usable token. */
    public Optional<SigningRequest> ask(PortalAccount user, String address, TransactionText text) {
        return signing.request(tokens.service(), PortalTokens.accountOf(user), text, PortalTokens.client(user, address));
    }

    /** The user's request, unused, as the confirm screen shows it again. */
    public Optional<SigningRequest> find(PortalAccount user, String reference) {
        return reference == null ? Optional.empty()
                : signing.find(tokens.service(), PortalTokens.accountOf(user), reference, true);
    }

    /** Where the user's request stands (the confirm screen polls it); empty when it is not theirs. */
    public Optional<SigningState> state(PortalAccount user, String reference) {
        return signing.state(tokens.service(), PortalTokens.accountOf(user), reference);
    }
}
