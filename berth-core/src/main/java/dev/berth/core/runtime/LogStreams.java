package dev.berth.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Log streams put together. */
public final class LogStreams {
  private LogStreams() {}

  /**
   * One stream of the lines of several, each marked with its source (e.g. the instance name): first
   * the lines already written, of all sources ordered by time (lines without a time first, in their
   * order), of those the last {@code tail} (all when negative); then, when {@code follow}, new
   * lines of any source as they come, each source read on its own virtual thread. Closing it closes
   * every source. Ownership of the sources passes to the merged stream.
   */
  public static LogStream merge(Map<String, LogStream> bySource, int tail, boolean follow) {
    List<LogLine> written = new ArrayList<>();
    try {
      for (Map.Entry<String, LogStream> e : bySource.entrySet()) {
        for (Optional<LogLine> l; (l = e.getValue().next(Duration.ZERO)).isPresent(); ) {
          written.add(l.get().from(e.getKey()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    written.sort(
        Comparator.comparing(
            LogLine::time, Comparator.nullsFirst(Comparator.<Instant>naturalOrder())));
    List<LogLine> shown =
        tail < 0 || tail >= written.size()
            ? written
            : written.subList(written.size() - tail, written.size());
    return new Merged(new ArrayDeque<>(shown), bySource, follow);
  }

  private static final class Merged implements LogStream {
    private final Deque<LogLine> written;
    private final Map<String, LogStream> sources;
    private final LinkedBlockingQueue<LogLine> fresh = new LinkedBlockingQueue<>(10_000);
    private final AtomicInteger reading = new AtomicInteger();
    private final boolean follow;
    private volatile boolean closed;

    Merged(Deque<LogLine> written, Map<String, LogStream> sources, boolean follow) {
      this.written = written;
      this.sources = sources;
      this.follow = follow;
      if (follow) {
        reading.set(sources.size());
        sources.forEach(
            (name, s) -> Thread.ofVirtual().name("log-merge-" + name).start(() -> pump(name, s)));
      } else {
        sources.values().forEach(LogStream::close);
      }
    }

    private void pump(String name, LogStream s) {
      try {
        while (!closed && !s.ended()) {
          Optional<LogLine> l = s.next(Duration.ofMillis(500));
          if (l.isPresent()) {
            fresh.put(l.get().from(name));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        reading.decrementAndGet();
      }
    }

    @Override
    public Optional<LogLine> next(Duration wait) throws InterruptedException {
      if (!written.isEmpty()) {
        return Optional.of(written.removeFirst());
      }
      if (!follow || closed) {
        return Optional.empty();
      }
      return Optional.ofNullable(fresh.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean ended() {
      return written.isEmpty() && (!follow || closed || (reading.get() == 0 && fresh.isEmpty()));
    }

    @Override
    public void close() {
      closed = true;
      sources.values().forEach(LogStream::close);
    }
  }
}
