package dev.berth.runtime.local;

import dev.berth.core.runtime.LogLine;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.time.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads a console log: the tail across rotated files, then (following) new lines as the file grows,
 * looking every 50 ms of the injected {@link Scheduler}'s time. A truncation (rotation) is noticed
 * when the file gets shorter than the read position and reading starts over at 0. Lines are stored
 * with time and stream ({@link LogLine}, old lines without); {@code since} leaves out older lines
 * before the tail is taken.
 */
final class FileLogStream implements LogStream {
  private static final Duration POLL = Duration.ofMillis(50);
  private final Path log;
  private final boolean follow;
  private final Scheduler scheduler;
  private final LogQuery query;
  private final Deque<LogLine> pending = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long position;
  private volatile boolean closed;

  FileLogStream(Path log, LogQuery query, int keep, Scheduler scheduler) throws IOException {
    this.scheduler = scheduler;
    this.log = log;
    this.follow = query.follow();
    this.query = query;
    long size = Files.exists(log) ? Files.size(log) : 0;
    int max = query.since() == null ? query.tail() : -1;
    Deque<String> written = new ArrayDeque<>();
    for (int i = keep; i >= 1; i--) {
      ConsoleLogs.addLines(ConsoleLogs.rotated(log, i), written, max, Long.MAX_VALUE);
    }
    ConsoleLogs.addLines(log, written, max, size);
    written.stream().map(LogLine::parse).filter(query::admits).forEach(pending::addLast);
    while (query.tail() >= 0 && pending.size() > query.tail()) {
      pending.removeFirst();
    }
    position = size;
  }

  @Override
  public Optional<LogLine> next(Duration wait) throws InterruptedException {
    if (!pending.isEmpty()) {
      return Optional.of(pending.removeFirst());
    }
    if (!follow || closed) {
      return Optional.empty();
    }
    Instant deadline = scheduler.instant().plus(wait);
    while (!closed) {
      readNew();
      if (!pending.isEmpty()) {
        return Optional.of(pending.removeFirst());
      }
      Duration left = Duration.between(scheduler.instant(), deadline);
      if (!left.isPositive()) {
        return Optional.empty();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      scheduler.sleep(left.compareTo(POLL) < 0 ? left : POLL);
    }
    return Optional.empty();
  }

  private void readNew() {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      if (len < position) {
        position = 0; // truncated by rotation
        partial.reset();
      }
      if (len == position) {
        return;
      }
      f.seek(position);
      byte[] buf = new byte[(int) Math.min(len - position, 1 << 20)];
      f.readFully(buf);
      position += buf.length;
      for (byte b : buf) {
        if (b == '\n') {
          LogLine line = LogLine.parse(partial.toString(StandardCharsets.UTF_8));
          if (query.admits(line)) {
            pending.addLast(line);
          }
          partial.reset();
        } else {
          partial.write(b);
        }
      }
    } catch (IOException e) {
      // the file vanished (instance log swept); nothing more to read
    }
  }

  @Override
  public boolean ended() {
    return pending.isEmpty() && (!follow || closed);
  }

  @Override
  public void close() {
    closed = true;
  }
}
