package io.kagi.authority;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kagi.activation.AnswerAuthentication;
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
    private final TokenStatusAnswers statusAnswers;

    ActivationController(Activations activations, TokenStatusAnswers statusAnswers) {
        this.activations = activations;
        this.statusAnswers = statusAnswers;
    }

    record StatusRequest(String serviceId, String userId, String nonce, String proof) {
    }

    record StatusResponse(String state, String serverTime, @JsonProperty("MAC") String answerMac) {
    }

    record StartRequest(String protocol, String serviceId, String userId, @JsonProperty("A") String clientPublic) {
    }

    /** Times are RFC 3339 in UTC with milliseconds ({@link AnswerAuthentication#time}). */
    record StartResponse(String sessionId, String salt, @JsonProperty("B") String serverPublic, String expiresAt,
                         String serverTime) {
    }

    record FinishRequest(String sessionId, @JsonProperty("M1") String clientProof) {
    }

    record TokenParametersBody(String algorithm, int digits, int period) {
    }

    record FinishResponse(@JsonProperty("M2") String serverProof, String serviceId, String userId, String serviceName,
                          TokenParametersBody tokenParameters, String serverTime, @JsonProperty("MAC") String answerMac) {
    }

    @PostMapping(path = "/start", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Starts an exchange: sends A, receives the token's salt and B")
    ResponseEntity<?> start(@RequestBody StartRequest request, HttpServletRequest http) {
        Activations.StartOutcome outcome = activations.start(request.protocol(), request.serviceId(), request.userId(),
                request.clientPublic(), http.getRemoteAddr());
        if (outcome instanceof Activations.StartOutcome.Started started) {
            return ResponseEntity.ok(new StartResponse(started.sessionId(), started.salt(), started.serverPublic(),
                    AnswerAuthentication.time(started.expiresAt()), AnswerAuthentication.time(started.serverTime())));
        }
        if (outcome instanceof Activations.StartOutcome.Refused refused) {
            return ApiProblems.activation(refused.problem(), null, refused.retryAfterSeconds());
        }
        throw new IllegalStateException("A start outcome of an unknown kind: " + outcome.getClass().getName());
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
                    done.serverTime(), done.answerMac()));
        }
        if (outcome instanceof Activations.FinishOutcome.WrongPassword wrong) {
            return ApiProblems.activation(ActivationProblem.WRONG_PASSWORD, wrong.attemptsLeft(), null);
        }
        if (outcome instanceof Activations.FinishOutcome.Refused refused) {
            return ApiProblems.activation(refused.problem(), null, null);
        }
        throw new IllegalStateException("A finish outcome of an unknown kind: " + outcome.getClass().getName());
    }

    @PostMapping(path = "/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "An activated token asks for the authority's time and its own state, under its status key")
    ResponseEntity<?> status(@RequestBody StatusRequest request) {
        TokenStatusAnswers.Outcome outcome = statusAnswers.answer(request.serviceId(), request.userId(), request.nonce(),
                request.proof());
        if (outcome instanceof TokenStatusAnswers.Outcome.Answered answered) {
            return ResponseEntity.ok(new StatusResponse(answered.state(), answered.serverTime(), answered.mac()));
        }
        if (outcome instanceof TokenStatusAnswers.Outcome.Unknown) {
            return ApiProblems.activation(ActivationProblem.TOKEN_NOT_FOUND, null, null);
        }
        return ApiProblems.activation(ActivationProblem.INVALID_REQUEST, null, null);
    }
}
