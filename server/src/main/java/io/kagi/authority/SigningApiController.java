package io.kagi.authority;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * 取引認証 for relying parties (docs/transaction-signing.md): ask for a signature of a transaction
 * of one of the service's accounts, see whether the phone answered, complete it once (with the
 * phone's approval or an offline code). HTTP Basic like the rest of the service API.
 */
@RestController
@RequestMapping("/api/v1/services/{serviceId}/accounts/{account}/token/signing-requests")
@Tag(name = "Transaction signing", description = "取引認証: a code bound to the payee and the amount")
@SecurityRequirement(name = "service")
class SigningApiController {

    private final TransactionSigning signing;

    SigningApiController(TransactionSigning signing) {
        this.signing = signing;
    }

    record CreateRequest(String purpose, String bank, String branch, String accountType, String accountNumber,
                         String holderName, Long amount) {

        @Override
        public String toString() {
            return "CreateRequest[" + purpose + "]";
        }
    }

    record CreatedBody(String reference, String canonicalText, String digest, Instant expiresAt, String policy) {
    }

    record StateBody(String reference, String state) {
    }

    record CompleteRequest(String code) {

        @Override
        public String toString() {
            return "CompleteRequest[]";
        }
    }

    record SignedBody(String result, String reference, String digest, String by, String userId) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A signing request of one transaction, valid 5 minutes; 201 with its reference, canonical text "
            + "and digest; 409 no-usable-token; 400 invalid-request")
    ResponseEntity<?> create(@PathVariable String serviceId, @PathVariable String account, @RequestBody CreateRequest body,
                             Authentication authentication, HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        TransactionText text;
        try {
            text = new TransactionText(TransactionText.Purpose.valueOf(String.valueOf(body.purpose())), body.bank(),
                    body.branch(), body.accountType(), body.accountNumber(), body.holderName(), body.amount());
        } catch (IllegalArgumentException e) {
            return ApiProblems.problem(HttpStatus.BAD_REQUEST, "invalid-request",
                    "purpose is one of " + List.of(TransactionText.Purpose.values()) + "; " + e.getMessage(), Map.of());
        }
        return signing.request(service, new AccountRef(account), text, client(authentication, http))
                .<ResponseEntity<?>>map(created -> ResponseEntity.status(HttpStatus.CREATED).body(new CreatedBody(
                        created.reference(), created.canonicalText(), created.digest(), created.expiresAt(),
                        signing.policy(service).name())))
                .orElseGet(() -> ApiProblems.problem(HttpStatus.CONFLICT, "no-usable-token",
                        "The account has no active token", Map.of()));
    }

    @GetMapping("/{reference}")
    @Operation(summary = "Where the request stands: PENDING, APPROVED (on the phone), DENIED, USED, EXPIRED; 404 when unknown")
    ResponseEntity<?> state(@PathVariable String serviceId, @PathVariable String account, @PathVariable String reference,
                            Authentication authentication) {
        ServiceId service = own(serviceId, authentication);
        return signing.state(service, new AccountRef(account), reference)
                .<ResponseEntity<?>>map(state -> ResponseEntity.ok(new StateBody(reference, state.name())))
                .orElseGet(() -> notFound());
    }

    @PostMapping(path = "/{reference}/complete", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Completes the request once: with {code}, the offline code of its account number and amount; "
            + "without, the phone's approval. 200 signed; 409 signing-pending, signing-denied, signing-already-used, "
            + "no-usable-token; 410 signing-expired; 422 wrong-signature (counted); 423 token-locked; 404 no-signing-request")
    ResponseEntity<?> complete(@PathVariable String serviceId, @PathVariable String account,
                               @PathVariable String reference, @RequestBody CompleteRequest body,
                               Authentication authentication, HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        SigningOutcome outcome = signing.complete(service, new AccountRef(account), reference, body.code(),
                client(authentication, http));
        return answer(outcome);
    }

    static ResponseEntity<?> answer(SigningOutcome outcome) {
        if (outcome instanceof SigningOutcome.Signed signed) {
            return ResponseEntity.ok(new SignedBody("signed", signed.reference(), signed.digest(), signed.by(),
                    signed.userId().digits()));
        }
        if (outcome instanceof SigningOutcome.Pending pending) {
            return ApiProblems.problem(HttpStatus.CONFLICT, "signing-pending",
                    "The phone has not answered yet", Map.of("expiresAt", pending.expiresAt().toString()));
        }
        if (outcome instanceof SigningOutcome.Denied) {
            return ApiProblems.problem(HttpStatus.CONFLICT, "signing-denied", "The user refused the request on the phone",
                    Map.of());
        }
        if (outcome instanceof SigningOutcome.Expired) {
            return ApiProblems.problem(HttpStatus.GONE, "signing-expired", "The request expired (5 minutes)", Map.of());
        }
        if (outcome instanceof SigningOutcome.AlreadyUsed) {
            return ApiProblems.problem(HttpStatus.CONFLICT, "signing-already-used", "The request was used already",
                    Map.of());
        }
        if (outcome instanceof SigningOutcome.WrongCode wrong) {
            return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "wrong-signature",
                    "The code is not the signature of this request's payee and amount",
                    Map.of("attemptsLeft", wrong.attemptsLeft()));
        }
        if (outcome instanceof SigningOutcome.Locked locked) {
            return ApiProblems.problem(HttpStatus.LOCKED, "token-locked", "The token is locked",
                    Map.of("lockedAt", String.valueOf(locked.lockedAt())));
        }
        if (outcome instanceof SigningOutcome.NotFound) {
            return notFound();
        }
        if (outcome instanceof SigningOutcome.NoUsableToken none) {
            Map<String, Object> more = new HashMap<>();
            if (none.state() != null) {
                more.put("state", none.state().name());
            }
            return ApiProblems.problem(HttpStatus.CONFLICT, "no-usable-token", "The account has no active token", more);
        }
        throw new IllegalStateException("A signing outcome of an unknown kind: " + outcome.getClass().getName());
    }

    private static ResponseEntity<?> notFound() {
        return ApiProblems.problem(HttpStatus.NOT_FOUND, "no-signing-request", "No such signing request for this account",
                Map.of());
    }

    private static ServiceId own(String serviceId, Authentication authentication) {
        if (!authentication.getName().equals(serviceId)) {
            throw new ServiceApiController.ForeignServiceException();
        }
        return new ServiceId(serviceId);
    }

    private static ClientInfo client(Authentication authentication, HttpServletRequest http) {
        return new ClientInfo("service:" + authentication.getName(), http.getRemoteAddr());
    }
}
