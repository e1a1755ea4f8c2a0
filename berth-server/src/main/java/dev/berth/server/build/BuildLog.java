package dev.berth.server.build;

import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The log of one running build: time-stamped lines, the oldest dropped past a bound. Thread-safe.
 */
final class BuildLog {
  private final Deque<String> lines = new ArrayDeque<>();
  private final int max;
  private final Clock clock;
  private int dropped;

  BuildLog(int max, Clock clock) {
    this.max = max;
    this.clock = clock;
  }

  synchronized void add(String line) {
    LocalTime t =
        LocalTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    lines.addLast(t + " " + line);
    while (lines.size() > max) {
      lines.removeFirst();
      dropped++;
    }
  }

  @Override
  public synchronized String toString() {
    String head = dropped > 0 ? "(" + dropped + " earlier lines dropped)\n" : "";
    return head + String.join("\n", lines);
  }
}
