package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.LogStream;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A pod's log through the API server: a fixed tail, or a followed stream read on a virtual thread. */
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
    Deque<String> lines = new ArrayDeque<>(text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.peekLast().isEmpty()) {
      lines.pollLast();
    }
    return new PodLogs(lines, null);
  }

  static PodLogs following(LogWatch watch) {
    return new PodLogs(null, watch);
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
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

  @Override
  public Optional<String> next(Duration wait) throws InterruptedException {
    if (fixed != null) {
      return Optional.ofNullable(fixed.pollFirst());
    }
    if (done) {
      return Optional.empty();
    }
    String line = followed.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line == END) {
      done = true;
      return Optional.empty();
    }
    return Optional.ofNullable(line);
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
