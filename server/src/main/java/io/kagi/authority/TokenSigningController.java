package io.kagi.authority;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token's side of 二経路認証 (docs/transaction-signing.md §4): an activated token fetches its
 * pending signing requests and answers one, each request carrying a proof under the token's status
 * key, so the seed never leaves the phone and nobody without the key learns a payee. Under the
 * activation prefix: the token app's origin serves exactly that.
 */
@RestController
@RequestMapping("/api/v1/activation/signing")
@Tag(name = "Activation", description = "SRP-6a activation of a token by the token app (no credentials)")
class TokenSigningController {

    private final TransactionSigning signing;

    TokenSigningController(TransactionSigning signing) {
        this.signing = signing;
    }

    record PendingQuery(String serviceId, String userId, String nonce, String proof) {
    }

    record PendingBody(String reference, Map<String, String> fields, String canonicalText, String suite,
                       Instant expiresAt) {
    }

    record PendingAnswer(List<PendingBody> requests, String serverTime) {
    }

    record AnswerBody(String serviceId, String userId, String reference, String decision, String response,
                      String nonce, String proof) {

        @Override
        public String toString() {
            return "AnswerBody[" + reference + ", " + decision + "]";
        }
    }

    record AnsweredBody(String reference, String state) {
    }

    @PostMapping(path = "/pending", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The token's pending signing requests, under its status key; 404 token-not-found alike for unknown IDs and wrong proofs")
    ResponseEntity<?> pending(@RequestBody PendingQuery query) {
        return answer(signing.pending(query.serviceId(), query.userId(), query.nonce(), query.proof()), null);
    }

    @PostMapping(path = "/answer", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "承認 (with the OCRA signature of the shown text) or 否認 of one pending request; 422 wrong-signature is counted")
    ResponseEntity<?> answer(@RequestBody AnswerBody body, HttpServletRequest http) {
        return answer(signing.answer(body.serviceId(), body.userId(), body.reference(), body.decision(), body.response(),
                body.nonce(), body.proof(), http.getRemoteAddr()), body.reference());
    }

    private static ResponseEntity<?> answer(TransactionSigning.PhoneOutcome outcome, String reference) {
        if (outcome instanceof TransactionSigning.PhoneOutcome.Listed listed) {
            return ResponseEntity.ok(new PendingAnswer(listed.requests().stream()
                    .map(request -> new PendingBody(request.reference(), request.fields(), request.canonicalText(),
                            request.suite(), request.expiresAt()))
                    .toList(), listed.serverTime()));
        }
        if (outcome instanceof TransactionSigning.PhoneOutcome.Answered answered) {
            return ResponseEntity.ok(new AnsweredBody(reference, answered.state()));
        }
        if (outcome instanceof TransactionSigning.PhoneOutcome.WrongSignature wrong) {
            return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "wrong-signature",
                    "The signature is not of this request's text", Map.of("attemptsLeft", wrong.attemptsLeft()));
        }
        if (outcome instanceof TransactionSigning.PhoneOutcome.Locked) {
            return ApiProblems.problem(HttpStatus.LOCKED, "token-locked", "The token is locked", Map.of());
        }
        if (outcome instanceof TransactionSigning.PhoneOutcome.Gone gone) {
            return ApiProblems.problem(HttpStatus.GONE, "signing-" + gone.reason(),
                    "The request can no longer be answered (" + gone.reason() + ")", Map.of());
        }
        if (outcome instanceof TransactionSigning.PhoneOutcome.Unknown) {
            return ApiProblems.activation(ActivationProblem.TOKEN_NOT_FOUND, null, null);
        }
        if (outcome instanceof TransactionSigning.PhoneOutcome.Malformed) {
            return ApiProblems.activation(ActivationProblem.INVALID_REQUEST, null, null);
        }
        throw new IllegalStateException("A phone outcome of an unknown kind: " + outcome.getClass().getName());
    }
}
