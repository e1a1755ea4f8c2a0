package dev.berth.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers security exceptions thrown inside controllers (method security, {@code @PreAuthorize}) with
 * the same 401/403 problems as the filter chain, before any catch-all exception handler turns them
 * into a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityProblemAdvice {
  private final ProblemResponses problems;

  public SecurityProblemAdvice(ProblemResponses problems) {
    this.problems = problems;
  }

  @ExceptionHandler(AccessDeniedException.class)
  void forbidden(AccessDeniedException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
    problems.handle(request, response, e);
  }

  @ExceptionHandler(AuthenticationException.class)
  void unauthorized(AuthenticationException e, HttpServletRequest request, HttpServletResponse response) throws IOException {
    problems.commence(request, response, e);
  }
}
