package dev.berth.runtime.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one container start spends its time: laps (image, ip, network, overlay, bundle, runc)
 * measured on a monotonic clock and logged at DEBUG by the logger {@code
 * dev.berth.runtime.local.StartTimer} as one line, {@code start-timing id=… began=<epoch ms>
 * image=0.41 … total=12.30} (milliseconds). The container-start benchmark turns that logger on and
 * reads the lines. Costs two clock reads per lap. Used by one thread (the supervisor's).
 */
final class StartTimer {
  private static final Logger log = LoggerFactory.getLogger(StartTimer.class);
  private final String id;
  private final long beganEpochMillis;
  private final LongSupplier nanos;
  private final long start;
  private long last;
  private final Map<String, Long> laps = new LinkedHashMap<>();

  StartTimer(String id, long beganEpochMillis, LongSupplier nanos) {
    this.id = id;
    this.beganEpochMillis = beganEpochMillis;
    this.nanos = nanos;
    this.start = nanos.getAsLong();
    this.last = start;
  }

  /**
   * A timer for the start of {@code id} beginning now (wall clock for the log, monotonic for laps).
   */
  static StartTimer begin(String id, long epochMillis) {
    return new StartTimer(id, epochMillis, System::nanoTime);
  }

  /** Ends the lap {@code phase} (time since the previous lap); a repeated phase adds up. */
  void lap(String phase) {
    long now = nanos.getAsLong();
    laps.merge(phase, now - last, Long::sum);
    last = now;
  }

  /** The line logged by {@link #log()}. */
  String line() {
    StringBuilder b =
        new StringBuilder("start-timing id=").append(id).append(" began=").append(beganEpochMillis);
    laps.forEach((phase, ns) -> b.append(' ').append(phase).append('=').append(millis(ns)));
    return b.append(" total=").append(millis(last - start)).toString();
  }

  /** Logs the laps at DEBUG (nothing is formatted when DEBUG is off). */
  void log() {
    if (log.isDebugEnabled()) {
      log.debug(line());
    }
  }

  /**
   * Logs at DEBUG how long resolving {@code image} for an API call took ({@code resolve-timing …}).
   */
  static void logResolve(String image, long nanos) {
    if (log.isDebugEnabled()) {
      log.debug("resolve-timing image={} ms={}", image, millis(nanos));
    }
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
