package io.kagi.authority;

import org.springframework.http.HttpStatus;

/** The refusals of the activation exchange, with the stable codes the token app translates (spec §4). */
enum ActivationProblem {

    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "invalid-request", "The request is malformed"),
    UPDATE_REQUIRED(HttpStatus.BAD_REQUEST, "update-required",
            "This token speaks an old version of the activation protocol: update the app (reload it) or kagi-token"),
    TOKEN_NOT_FOUND(HttpStatus.NOT_FOUND, "token-not-found", "No token waits for activation under these IDs"),
    ALREADY_ACTIVATED(HttpStatus.CONFLICT, "already-activated", "The token was activated already"),
    ACTIVATION_EXPIRED(HttpStatus.GONE, "activation-expired", "The activation deadline has passed"),
    ACTIVATION_VOIDED(HttpStatus.GONE, "activation-voided", "The token can no longer be activated"),
    WRONG_PASSWORD(HttpStatus.BAD_REQUEST, "wrong-activation-password", "The activation password is wrong"),
    SESSION_EXPIRED(HttpStatus.GONE, "activation-session-expired", "The exchange expired or was finished: start again"),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", "Too many activation attempts");

    private final HttpStatus status;
    private final String code;
    private final String title;

    ActivationProblem(HttpStatus status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    String title() {
        return title;
    }
}
