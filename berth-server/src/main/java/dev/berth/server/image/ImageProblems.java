package dev.berth.server.image;

import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.registry.RegistryAuthenticationException;
import dev.berth.oci.registry.RegistryException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problems particular to the image centre's API, as problem+json: a missing repository or tag is
 * 404, a registry that refuses Berth's credentials or answers nonsense is 502 (the fault is the
 * registry's or its settings, not the request's), a missing confirmation is the server-wide 428 (red
 * lines, naming {@code confirm}). Everything else goes to the server-wide handler.
 */
@RestControllerAdvice(assignableTypes = {RegistryApi.class, ImageApi.class, ReplicationApi.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ImageProblems {
  @ExceptionHandler(ImageNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(ImageNotFoundException e) {
    return answer(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage()));
  }

  @ExceptionHandler(RegistryAuthenticationException.class)
  ResponseEntity<ProblemDetail> rejected(RegistryAuthenticationException e) {
    return answer(problem(HttpStatus.BAD_GATEWAY, "Registry refused Berth",
        e.getMessage() + "; fix the registry's credentials (delete and add it again with the right username and password)"));
  }

  @ExceptionHandler({RegistryException.class, ImageContentException.class})
  ResponseEntity<ProblemDetail> badRegistry(RuntimeException e) {
    return answer(problem(HttpStatus.BAD_GATEWAY, "Registry failed", e.getMessage()));
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    p.setType(URI.create("about:blank"));
    return p;
  }

  private static ResponseEntity<ProblemDetail> answer(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
  }
}
