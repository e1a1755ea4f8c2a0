package dev.berth.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.registry.RegistryAuthenticationException;
import dev.berth.oci.registry.RegistryException;
import dev.berth.server.access.ConfirmationRequiredException;
import dev.berth.server.access.ForbiddenException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where exceptions thrown by controllers become RFC 9457 {@code
 * application/problem+json} answers that name the field and the fix. Validation problems carry an
 * {@code errors} list of {@code {field, message}}. Never a stack trace. Filters, which run before
 * any controller, write the same shape through {@link Problems}; security failures thrown inside
 * controllers are answered by the same entry point and access-denied handler as in the filter
 * chain.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private final ObjectProvider<MultipartProperties> multipart;
  private final AuthenticationEntryPoint unauthorized;
  private final AccessDeniedHandler denied;

  public ProblemHandler(
      ObjectProvider<MultipartProperties> multipart,
      AuthenticationEntryPoint unauthorized,
      AccessDeniedHandler denied) {
    this.multipart = multipart;
    this.unauthorized = unauthorized;
    this.denied = denied;
  }

  @ExceptionHandler(ValidationException.class)
  ProblemDetail invalid(ValidationException e) {
    return validation(e.errors());
  }

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    ProblemDetail p = problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    p.setProperty("kind", e.kind());
    p.setProperty("name", e.name());
    return p;
  }

  @ExceptionHandler(ForbiddenException.class)
  ProblemDetail forbidden(ForbiddenException e) {
    ProblemDetail p = problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    p.setProperty("permission", e.permission());
    if (e.team() != null) {
      p.setProperty("team", e.team());
    }
    if (e.narrowedTo() != null) {
      p.setProperty("narrowedTo", e.narrowedTo());
    }
    return p;
  }

  @ExceptionHandler(ConfirmationRequiredException.class)
  ProblemDetail confirmationRequired(ConfirmationRequiredException e) {
    ProblemDetail p =
        problem(HttpStatus.PRECONDITION_REQUIRED, "Confirmation required", e.getMessage());
    p.setProperty(
        "errors",
        List.of(
            Map.of(
                "field",
                "confirm",
                "message",
                "must be '" + e.expected() + "' (the name typed back)")));
    return p;
  }

  /** Method security inside a controller: the same 403 as the filter chain's. */
  @ExceptionHandler(AccessDeniedException.class)
  void accessDenied(
      AccessDeniedException e, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    denied.handle(request, response, e);
  }

  /** No or an unknown token, found inside a controller: the same 401 as the filter chain's. */
  @ExceptionHandler(AuthenticationException.class)
  void unauthenticated(
      AuthenticationException e, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    unauthorized.commence(request, response, e);
  }

  @ExceptionHandler(ImageNotFoundException.class)
  ProblemDetail imageNotFound(ImageNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
  }

  @ExceptionHandler(RegistryAuthenticationException.class)
  ProblemDetail registryRefused(RegistryAuthenticationException e) {
    return problem(
        HttpStatus.BAD_GATEWAY,
        "Registry refused Berth",
        e.getMessage()
            + "; fix the registry's credentials (delete and add it again with the right username and password)");
  }

  /**
   * A registry that answers nonsense: the fault is the registry's or its settings, not the
   * request's.
   */
  @ExceptionHandler({RegistryException.class, ImageContentException.class})
  ProblemDetail badRegistry(RuntimeException e) {
    return problem(HttpStatus.BAD_GATEWAY, "Registry failed", e.getMessage());
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    MultipartProperties limits = multipart.getIfAvailable();
    long mb =
        limits == null
            ? e.getMaxUploadSize() / (1024 * 1024)
            : limits.getMaxRequestSize().toMegabytes();
    ProblemDetail p =
        problem(
            HttpStatus.PAYLOAD_TOO_LARGE,
            "Upload too large",
            "the upload is larger than "
                + mb
                + " MB (berth.builds.max-upload-size); send smaller files, or ask the operator to raise the limit");
    p.setProperty(
        "errors", List.of(Map.of("field", "body", "message", "must be at most " + mb + " MB")));
    return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(p);
  }

  @ExceptionHandler(ConflictException.class)
  ProblemDetail conflict(ConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
  }

  /** Too many commands at once: 429 with the bound and its setting, and when to try again. */
  @ExceptionHandler(dev.berth.server.support.exec.TooManyExecsException.class)
  ResponseEntity<ProblemDetail> tooManyExecs(
      dev.berth.server.support.exec.TooManyExecsException e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(
            HttpHeaders.RETRY_AFTER,
            String.valueOf(dev.berth.server.support.exec.TooManyExecsException.RETRY_AFTER_SECONDS))
        .body(problem(HttpStatus.TOO_MANY_REQUESTS, "Too many commands", e.getMessage()));
  }

  @ExceptionHandler(PreconditionRequiredException.class)
  ProblemDetail preconditionRequired(PreconditionRequiredException e) {
    ProblemDetail p =
        problem(HttpStatus.PRECONDITION_REQUIRED, "Precondition required", e.getMessage());
    p.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.fieldMessage())));
    return p;
  }

  @ExceptionHandler(PreconditionFailedException.class)
  ProblemDetail preconditionFailed(PreconditionFailedException e) {
    return problem(HttpStatus.PRECONDITION_FAILED, "Precondition failed", e.getMessage());
  }

  /**
   * A JSON document read by a controller itself (a merge patch applied to the stored object) that
   * does not fit.
   */
  @ExceptionHandler(JsonProcessingException.class)
  ProblemDetail unfitting(JsonProcessingException e) {
    return unreadable(e);
  }

  @ExceptionHandler({RegistryUnavailableException.class, RuntimeFailure.class})
  ProblemDetail unavailable(RuntimeException e) {
    LOG.warn("request failed on a dependency: {}", e.getMessage());
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Service unavailable",
        e.getMessage() + "; try again shortly");
  }

  @ExceptionHandler(dev.berth.core.metrics.MetricsUnavailableException.class)
  ProblemDetail metricsUnavailable(dev.berth.core.metrics.MetricsUnavailableException e) {
    LOG.warn("metrics unavailable: {}", e.getMessage());
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Metrics unavailable",
        e.getMessage() + "; charts of this source show it as unavailable until it answers again");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail mismatch(MethodArgumentTypeMismatchException e) {
    String expected =
        e.getRequiredType() == null
            ? "another type"
            : e.getRequiredType().getSimpleName().toLowerCase();
    return validation(
        List.of(
            new FieldError(e.getName(), "must be a " + expected + ", was '" + e.getValue() + "'")));
  }

  @ExceptionHandler(BodyLimitFilter.BodyTooLargeException.class)
  ProblemDetail tooLarge(BodyLimitFilter.BodyTooLargeException e) {
    return problem(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", e.getMessage());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail illegal(IllegalArgumentException e) {
    return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    LOG.error("unexpected error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Internal error",
        "something went wrong on Berth's side; the server log has the details");
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(tooLarge(tooLarge));
      }
    }
    return ResponseEntity.badRequest().body(unreadable(e.getCause()));
  }

  /**
   * An API path no endpoint serves (the portal's unknown paths get its HTML page from PortalErrors
   * first).
   */
  @Override
  protected ResponseEntity<Object> handleNoResourceFoundException(
      NoResourceFoundException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String path = "/" + e.getResourcePath();
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            problem(
                HttpStatus.NOT_FOUND,
                "Not found",
                "there is no API endpoint at "
                    + e.getHttpMethod()
                    + " "
                    + path
                    + "; GET /api/v1/openapi.json lists them all"));
  }

  static ProblemDetail unreadable(Throwable cause) {
    if (cause instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : u.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "));
      return validation(
          List.of(
              new FieldError(
                  path(u),
                  "is not a known field" + (known.isEmpty() ? "" : "; known fields: " + known))));
    }
    if (cause instanceof InvalidFormatException f) {
      String target =
          f.getTargetType() == null
              ? "value"
              : f.getTargetType().isEnum()
                  ? "one of " + enumValues(f.getTargetType())
                  : describe(f.getTargetType());
      return validation(
          List.of(new FieldError(path(f), "must be " + target + ", was " + quote(f.getValue()))));
    }
    if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      String target = m.getTargetType() == null ? "another type" : describe(m.getTargetType());
      return validation(List.of(new FieldError(path(m), "must be " + target)));
    }
    if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return validation(List.of(new FieldError(path(m), m.getOriginalMessage())));
    }
    if (cause instanceof JsonProcessingException j) {
      String where =
          j.getLocation() == null
              ? ""
              : " at line "
                  + j.getLocation().getLineNr()
                  + ", column "
                  + j.getLocation().getColumnNr();
      return problem(
          HttpStatus.BAD_REQUEST,
          "Malformed JSON",
          "the body is not valid JSON" + where + ": " + j.getOriginalMessage());
    }
    return problem(
        HttpStatus.BAD_REQUEST,
        "Malformed request",
        "the request body is missing or unreadable; send a JSON document with Content-Type: application/json");
  }

  static ProblemDetail validation(List<FieldError> errors) {
    String detail =
        errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
    p.setProperty(
        "errors",
        errors.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
    return p;
  }

  static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    p.setType(URI.create("about:blank"));
    return p;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "body" : sb.toString();
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object of string values";
    }
    return "an object";
  }

  private static String enumValues(Class<?> type) {
    return java.util.Arrays.stream(type.getEnumConstants())
        .map(c -> "'" + c + "'")
        .collect(Collectors.joining(", "));
  }

  private static String quote(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
