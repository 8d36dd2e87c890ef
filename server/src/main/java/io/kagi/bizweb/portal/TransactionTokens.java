package io.kagi.bizweb.portal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.HttpSession;

import org.springframework.stereotype.Component;

/**
 * Double-submit protection for confirm → execute steps (the transaction-token idea of the
 * TERASOLUNA guideline): showing a form stores a fresh random token in the session under the step's
 * name; the POST must bring it back, and it is removed on first use, so a second submission of the
 * same form (a double click, a reload, the back button) is refused.
 */
@Component
public class TransactionTokens {

    private static final String PREFIX = "kagi.bizweb.transaction.";
    private final SecureRandom random = new SecureRandom();

    /** A fresh token for {@code step}, replacing any earlier one. */
    public String issue(HttpSession session, String step) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(PREFIX + step, token);
        return token;
    }

    /** Whether {@code presented} is the current token of {@code step}; the token is used up either way. */
    public boolean consume(HttpSession session, String step, String presented) {
        Object expected = session.getAttribute(PREFIX + step);
        session.removeAttribute(PREFIX + step);
        return expected instanceof String token && presented != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }
}
