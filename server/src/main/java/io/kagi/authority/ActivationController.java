package io.kagi.authority;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token app's activation endpoints (docs/activation-protocol.md §4). No credentials; rate
 * limited per client address and per token; errors are RFC 9457 problem details.
 */
@RestController
@RequestMapping("/api/v1/activation")
@Tag(name = "Activation", description = "SRP-6a activation of a token by the token app (no credentials)")
class ActivationController {

    private final Activations activations;

    ActivationController(Activations activations) {
        this.activations = activations;
    }

    record StartRequest(String serviceId, String userId, @JsonProperty("A") String clientPublic) {
    }

    record StartResponse(String sessionId, String salt, @JsonProperty("B") String serverPublic, Instant expiresAt) {
    }

    record FinishRequest(String sessionId, @JsonProperty("M1") String clientProof) {
    }

    record TokenParametersBody(String algorithm, int digits, int period) {
    }

    record FinishResponse(@JsonProperty("M2") String serverProof, String serviceId, String userId, String serviceName,
                          TokenParametersBody tokenParameters, Instant serverTime) {
    }

    @PostMapping(path = "/start", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Starts an exchange: sends A, receives the token's salt and B")
    ResponseEntity<?> start(@RequestBody StartRequest request, HttpServletRequest http) {
        Activations.StartOutcome outcome = activations.start(request.serviceId(), request.userId(),
                request.clientPublic(), http.getRemoteAddr());
        if (outcome instanceof Activations.StartOutcome.Started started) {
            return ResponseEntity.ok(new StartResponse(started.sessionId(), started.salt(), started.serverPublic(),
                    started.expiresAt()));
        }
        Activations.StartOutcome.Refused refused = (Activations.StartOutcome.Refused) outcome;
        return ApiProblems.activation(refused.problem(), null, refused.retryAfterSeconds());
    }

    @PostMapping(path = "/finish", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Finishes an exchange: sends M1, receives M2 and the token's parameters; activates the token")
    ResponseEntity<?> finish(@RequestBody FinishRequest request, HttpServletRequest http) {
        Activations.FinishOutcome outcome = activations.finish(request.sessionId(), request.clientProof(),
                http.getRemoteAddr());
        if (outcome instanceof Activations.FinishOutcome.Activated done) {
            return ResponseEntity.ok(new FinishResponse(done.serverProof(), done.serviceId().digits(),
                    done.userId().digits(), done.serviceName(),
                    new TokenParametersBody(done.parameters().algorithm(), done.parameters().digits(),
                            done.parameters().period()),
                    done.serverTime()));
        }
        if (outcome instanceof Activations.FinishOutcome.WrongPassword wrong) {
            return ApiProblems.activation(ActivationProblem.WRONG_PASSWORD, wrong.attemptsLeft(), null);
        }
        return ApiProblems.activation(((Activations.FinishOutcome.Refused) outcome).problem(), null, null);
    }
}
