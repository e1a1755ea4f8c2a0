package dev.berth.server.access;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A missing permission as a 403 problem naming {@code permission} (and {@code team}); a red line
 * without its confirmation as a 428 problem whose {@code errors} name the field {@code confirm} and
 * what to type. Ordered before the catch-all problem handler.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class AccessProblems {
  @ExceptionHandler(ForbiddenException.class)
  ProblemDetail forbidden(ForbiddenException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
    p.setTitle("Forbidden");
    p.setType(URI.create("about:blank"));
    p.setProperty("permission", e.permission());
    if (e.team() != null) {
      p.setProperty("team", e.team());
    }
    return p;
  }

  @ExceptionHandler(ConfirmationRequiredException.class)
  ProblemDetail confirmationRequired(ConfirmationRequiredException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_REQUIRED, e.getMessage());
    p.setTitle("Confirmation required");
    p.setType(URI.create("about:blank"));
    p.setProperty("errors", List.of(Map.of("field", "confirm", "message", "must be '" + e.expected() + "' (the name typed back)")));
    return p;
  }
}
