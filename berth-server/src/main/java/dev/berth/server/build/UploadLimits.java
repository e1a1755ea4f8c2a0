package dev.berth.server.build;

import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/** An upload over {@code berth.builds.max-upload-size} is a 413 problem that names the setting. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UploadLimits {
  private final BuildProperties properties;

  public UploadLimits(BuildProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ProblemDetail tooLarge(MaxUploadSizeExceededException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE,
        "the upload is larger than " + properties.maxUploadSize().toMegabytes() + " MB (berth.builds.max-upload-size); send smaller files, or ask the operator to raise the limit");
    p.setTitle("Upload too large");
    p.setType(URI.create("about:blank"));
    p.setProperty("errors", java.util.List.of(java.util.Map.of("field", "body", "message", "must be at most " + properties.maxUploadSize().toMegabytes() + " MB")));
    return p;
  }
}
