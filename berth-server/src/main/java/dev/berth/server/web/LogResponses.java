package dev.berth.server.web;

import dev.berth.core.runtime.LogLine;
import dev.berth.core.runtime.LogStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Console logs as {@code text/plain} responses, streamed line by line (and followed when asked),
 * each line rendered with what the options ask for ({@link LogLine#render}).
 */
public final class LogResponses {
  private LogResponses() {}

  public static ResponseEntity<StreamingResponseBody> of(LogStream stream, LogOptions options) {
    StreamingResponseBody body = out -> copy(stream, options, out);
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
        .header("X-Accel-Buffering", "no")
        .body(body);
  }

  static void copy(LogStream stream, LogOptions options, OutputStream out) throws IOException {
    try (stream) {
      while (!stream.ended()) {
        Optional<LogLine> line = stream.next(Duration.ofSeconds(1));
        if (line.isPresent()) {
          out.write(
              (line.get().render(options.timestamps(), options.streams()) + "\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
