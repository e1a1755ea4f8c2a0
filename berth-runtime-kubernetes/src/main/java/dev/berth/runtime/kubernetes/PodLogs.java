package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.LogLine;
import dev.berth.core.runtime.LogStream;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pod's log through the API server: a fixed tail, or a followed stream read on a virtual thread.
 * Asked with {@code timestamps=true}, the API server starts each line with its RFC 3339 time; the
 * stream (stdout or stderr) is not in the pod log API, so lines have none.
 */
final class PodLogs implements LogStream {
  private static final String END = new String("<end>");
  private final Deque<String> fixed;
  private final LinkedBlockingQueue<String> followed;
  private final LogWatch watch;
  private volatile boolean done;

  private PodLogs(Deque<String> fixed, LogWatch watch) {
    this.fixed = fixed;
    this.watch = watch;
    this.followed = watch == null ? null : new LinkedBlockingQueue<>(10_000);
    if (watch != null) {
      Thread.ofVirtual().name("pod-log").start(this::pump);
    }
  }

  static PodLogs of(String text) {
    Deque<String> lines =
        new ArrayDeque<>(
            text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.peekLast().isEmpty()) {
      lines.pollLast();
    }
    return new PodLogs(lines, null);
  }

  static PodLogs following(LogWatch watch) {
    return new PodLogs(null, watch);
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        followed.put(line);
      }
    } catch (IOException | RuntimeException e) {
      // the stream ended or was closed; readers see ended()
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      followed.offer(END);
    }
  }

  /**
   * A line of the pod log API with timestamps: {@code <RFC 3339 time> <text>}; without a time, all
   * text.
   */
  static LogLine parse(String line) {
    int space = line.indexOf(' ');
    if (space > 0) {
      try {
        return LogLine.of(Instant.parse(line.substring(0, space)), null, line.substring(space + 1));
      } catch (DateTimeParseException notATime) {
        // a line without the time prefix
      }
    }
    return LogLine.of(null, null, line);
  }

  @Override
  public Optional<LogLine> next(Duration wait) throws InterruptedException {
    if (fixed != null) {
      return Optional.ofNullable(fixed.pollFirst()).map(PodLogs::parse);
    }
    if (done) {
      return Optional.empty();
    }
    String line = followed.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line == END) {
      done = true;
      return Optional.empty();
    }
    return Optional.ofNullable(line).map(PodLogs::parse);
  }

  @Override
  public boolean ended() {
    return fixed != null ? fixed.isEmpty() : done;
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
