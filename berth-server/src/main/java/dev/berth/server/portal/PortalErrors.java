package dev.berth.server.portal;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.ConfirmationRequiredException;
import dev.berth.server.access.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Failures on the portal's paths become the {@code error} page with a status and a sentence, never
 * a stack trace and never the API's JSON problem. Runs before the API's {@code ProblemHandler}; API
 * and actuator paths are left to it.
 */
@Component
public class PortalErrors implements HandlerExceptionResolver, Ordered {
  private static final Logger LOG = LoggerFactory.getLogger(PortalErrors.class);

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public ModelAndView resolveException(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception e) {
    String uri = request.getRequestURI().substring(request.getContextPath().length());
    if (uri.startsWith("/api/") || uri.startsWith("/actuator") || response.isCommitted()) {
      return null;
    }
    int status;
    String message;
    switch (e) {
      case NotFoundException n -> {
        status = 404;
        message = n.getMessage();
      }
      case ForbiddenException f -> {
        status = 403;
        message = f.getMessage();
      }
      case ConfirmationRequiredException c -> {
        status = 428;
        message = c.getMessage();
      }
      case ConflictException c -> {
        status = 409;
        message = c.getMessage();
      }
      case ValidationException v -> {
        status = 400;
        message = v.getMessage();
      }
      case ErrorResponse r -> {
        status = r.getStatusCode().value();
        message =
            status == 404
                ? "there is no page at " + uri
                : HttpStatus.valueOf(status).getReasonPhrase();
      }
      default -> {
        LOG.error("portal page {} failed", uri, e);
        status = 500;
        message = "something went wrong on Berth's side; the server log has the details";
      }
    }
    response.setStatus(status);
    HttpStatus s = HttpStatus.resolve(status);
    return new ModelAndView(
        "error",
        Map.of(
            "status",
            status,
            "error",
            s == null ? "Error" : s.getReasonPhrase(),
            "message",
            message),
        HttpStatus.valueOf(status));
  }
}
