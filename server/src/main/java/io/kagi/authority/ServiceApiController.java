package io.kagi.authority;

import java.time.Instant;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.Locale;
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
 * The REST API for relying parties: each service manages the tokens of its own accounts,
 * authenticated with HTTP Basic (user = サービスID, password = the service's API secret).
 */
@RestController
@RequestMapping("/api/v1/services/{serviceId}")
@Tag(name = "Relying parties", description = "Issue, verify, status, revoke, unlock, void: per service, HTTP Basic")
@SecurityRequirement(name = "service")
class ServiceApiController {

    private final Tokens tokens;
    private final Services services;

    ServiceApiController(Tokens tokens, Services services) {
        this.tokens = tokens;
        this.services = services;
    }

    record IssueRequest(String mailAddress, String activationPassword, String locale) {

        @Override
        public String toString() {
            return "IssueRequest[" + mailAddress + "]";
        }
    }

    record IssuedBody(String serviceId, String userId, String mailAddress, Instant activationDeadline) {
    }

    record VerifyRequest(String code) {

        @Override
        public String toString() {
            return "VerifyRequest[]";
        }
    }

    record AcceptedBody(String result, long step) {
    }

    record StatusBody(String serviceId, String userId, TokenState state, String mailAddress, Instant issuedAt,
                      Instant activationDeadline, Instant activatedAt, Instant lockedAt, Instant revokedAt,
                      int consecutiveFailures, boolean usable) {
    }

    record ServiceBody(String serviceId, String name, String algorithm, int digits, long stepSeconds, int window,
                       int lockThreshold, long activationValidityHours, long revokeCoolingOffMinutes, boolean otpAtLogin) {
    }

    @GetMapping
    @Operation(summary = "The service's name and policy")
    ResponseEntity<?> service(@PathVariable String serviceId, Authentication authentication) {
        ServiceId service = own(serviceId, authentication);
        ServicePolicy policy = services.policyOf(service).orElseThrow();
        return ResponseEntity.ok(new ServiceBody(service.digits(), services.nameOf(service).orElseThrow(),
                policy.algorithm(), policy.digits(), policy.step().getSeconds(), policy.window(), policy.lockThreshold(),
                policy.activationValidity().toHours(), policy.revokeCoolingOff().toMinutes(), policy.otpAtLogin()));
    }

    @PostMapping(path = "/accounts/{account}/token", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Issues a token for the account, voiding its earlier one; 409 cooling-off after a revoke")
    ResponseEntity<?> issue(@PathVariable String serviceId, @PathVariable String account, @RequestBody IssueRequest request,
                            Authentication authentication, HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        if (request.activationPassword() == null || !request.activationPassword().matches("[0-9]{4,8}")) {
            return ApiProblems.problem(HttpStatus.BAD_REQUEST, "invalid-request",
                    "The activation password has 4 to 8 digits", Map.of());
        }
        Locale locale;
        try {
            locale = request.locale() == null ? Locale.JAPANESE : new Locale.Builder().setLanguageTag(request.locale()).build();
        } catch (IllformedLocaleException e) {
            return ApiProblems.problem(HttpStatus.BAD_REQUEST, "invalid-request",
                    "The locale is not a BCP 47 language tag", Map.of());
        }
        IssueResult result = tokens.issue(service, new AccountRef(account), request.mailAddress(),
                request.activationPassword().toCharArray(), locale, client(authentication, http));
        if (result instanceof IssueResult.Issued issued) {
            return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedBody(issued.serviceId().digits(),
                    issued.userId().digits(), issued.mailAddress(), issued.activationDeadline()));
        }
        if (result instanceof IssueResult.CoolingOff coolingOff) {
            return ApiProblems.problem(HttpStatus.CONFLICT, "cooling-off",
                    "The token was revoked lately; a new one can be issued later",
                    Map.of("reissueAllowedFrom", coolingOff.reissueAllowedFrom().toString()));
        }
        return ApiProblems.problem(HttpStatus.NOT_FOUND, "unknown-service", "No such service", Map.of());
    }

    @GetMapping("/accounts/{account}/token")
    @Operation(summary = "The account's current token; 404 when it never had one")
    ResponseEntity<?> status(@PathVariable String serviceId, @PathVariable String account, Authentication authentication) {
        ServiceId service = own(serviceId, authentication);
        return tokens.status(service, new AccountRef(account))
                .<ResponseEntity<?>>map(status -> ResponseEntity.ok(new StatusBody(status.serviceId().digits(),
                        status.userId().digits(), status.state(), status.mailAddress(), status.issuedAt(),
                        status.activationDeadline(), status.activatedAt(), status.lockedAt(), status.revokedAt(),
                        status.consecutiveFailures(), status.usable())))
                .orElseGet(() -> ApiProblems.problem(HttpStatus.NOT_FOUND, "no-token", "The account has no token", Map.of()));
    }

    @PostMapping(path = "/accounts/{account}/token/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Verifies a one-time password: 200 accepted; 422 wrong-code (wrong or out of time, counted) or "
            + "code-already-used (a used step, not counted); "
            + "423 token-locked; 409 no-usable-token")
    ResponseEntity<?> verify(@PathVariable String serviceId, @PathVariable String account, @RequestBody VerifyRequest request,
                             Authentication authentication, HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        VerificationResult result = tokens.verify(service, new AccountRef(account),
                request.code() == null ? "" : request.code(), client(authentication, http));
        if (result instanceof VerificationResult.Accepted accepted) {
            return ResponseEntity.ok(new AcceptedBody("accepted", accepted.step()));
        }
        if (result instanceof VerificationResult.Rejected rejected) {
            return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "wrong-code",
                    "The code is wrong or out of time", Map.of("attemptsLeft", rejected.attemptsLeft()));
        }
        if (result instanceof VerificationResult.AlreadyUsed used) {
            return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "code-already-used",
                    "The code was used already: wait for the next one (not counted)", Map.of("attemptsLeft", used.attemptsLeft()));
        }
        if (result instanceof VerificationResult.Locked locked) {
            return ApiProblems.problem(HttpStatus.LOCKED, "token-locked", "The token is locked",
                    Map.of("lockedAt", String.valueOf(locked.lockedAt())));
        }
        if (result instanceof VerificationResult.NoUsableToken none) {
            Map<String, Object> more = new HashMap<>();
            if (none.state() != null) {
                more.put("state", none.state().name());
            }
            return ApiProblems.problem(HttpStatus.CONFLICT, "no-usable-token", "The account has no active token", more);
        }
        throw new IllegalStateException("A verification result of an unknown kind: " + result.getClass().getName());
    }

    @PostMapping("/accounts/{account}/token/revoke")
    @Operation(summary = "失効: revokes the account's token; 204, or 404 when there is none to revoke")
    ResponseEntity<?> revoke(@PathVariable String serviceId, @PathVariable String account, Authentication authentication,
                             HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        return tokens.revoke(service, new AccountRef(account), client(authentication, http))
                ? ResponseEntity.noContent().build()
                : ApiProblems.problem(HttpStatus.NOT_FOUND, "no-revocable-token", "The account has no token to revoke", Map.of());
    }

    @PostMapping("/accounts/{account}/token/unlock")
    @Operation(summary = "Unlocks a locked token and resets its failure counter; 204, or 409 when it is not locked")
    ResponseEntity<?> unlock(@PathVariable String serviceId, @PathVariable String account, Authentication authentication,
                             HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        return tokens.unlock(service, new AccountRef(account), client(authentication, http))
                ? ResponseEntity.noContent().build()
                : ApiProblems.problem(HttpStatus.CONFLICT, "not-locked", "The account's token is not locked", Map.of());
    }

    @PostMapping("/accounts/{account}/token/void")
    @Operation(summary = "Voids the account's pending (not yet activated) token; 204 whether or not there was one")
    ResponseEntity<?> voidPending(@PathVariable String serviceId, @PathVariable String account,
                                  Authentication authentication, HttpServletRequest http) {
        ServiceId service = own(serviceId, authentication);
        tokens.voidPending(service, new AccountRef(account), client(authentication, http));
        return ResponseEntity.noContent().build();
    }

    private static ServiceId own(String serviceId, Authentication authentication) {
        if (!authentication.getName().equals(serviceId)) {
            throw new ForeignServiceException();
        }
        return new ServiceId(serviceId);
    }

    private static ClientInfo client(Authentication authentication, HttpServletRequest http) {
        return new ClientInfo("service:" + authentication.getName(), http.getRemoteAddr());
    }

    /** A service asked about another service's accounts. */
    static final class ForeignServiceException extends RuntimeException {

        ForeignServiceException() {
            super("A service may only manage its own accounts");
        }
    }
}
