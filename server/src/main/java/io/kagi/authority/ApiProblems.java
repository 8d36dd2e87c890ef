package io.kagi.authority;

import java.net.URI;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem details of the authority's REST API: {@code type} is
 * {@code urn:kagi:problem:<code>}, and the same code is in the member {@code code}.
 */
@RestControllerAdvice(assignableTypes = {ActivationController.class, ServiceApiController.class,
        SigningApiController.class, TokenSigningController.class})
class ApiProblems {

    private static final Logger LOG = LoggerFactory.getLogger(ApiProblems.class);

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String code, String title, Map<String, Object> more) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(URI.create("urn:kagi:problem:" + code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        more.forEach(problem::setProperty);
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static ResponseEntity<ProblemDetail> activation(ActivationProblem problem, Integer attemptsLeft, Long retryAfterSeconds) {
        ResponseEntity<ProblemDetail> response = problem(problem.status(), problem.code(), problem.title(),
                attemptsLeft == null ? Map.of() : Map.of("attemptsLeft", attemptsLeft));
        if (retryAfterSeconds == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(response.getBody());
    }

    @ExceptionHandler(ServiceApiController.ForeignServiceException.class)
    ResponseEntity<ProblemDetail> foreign() {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "A service may only manage its own accounts", Map.of());
    }

    /**
     * The database cannot be reached or broke off mid-transaction (which then rolled back): 503
     * with {@code Retry-After}, so clients retry; nothing about the cause goes out.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class, TransactionSystemException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        LOG.warn("Database unavailable: {}", e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "30")
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "The service is unavailable for a moment; try again", Map.of()).getBody());
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, IllegalArgumentException.class})
    ResponseEntity<ProblemDetail> malformed(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "The request is malformed", Map.of());
    }
}
