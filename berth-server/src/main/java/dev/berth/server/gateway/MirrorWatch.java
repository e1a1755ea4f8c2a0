package dev.berth.server.gateway;

import dev.berth.core.event.Event;
import dev.berth.core.event.EventSink;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Watches the primary app of every running mirror: fills in the p99 before mirroring when it was
 * not known yet, and stops a mirror whose app's p99 over the last window rose past its bound
 * ({@link MirrorGuard}), with a Warning event. Called periodically; keeps only the previous
 * counters in memory (after a restart the first window starts then).
 */
final class MirrorWatch {
  private final JdbcMirrorStore mirrors;
  private final Supplier<GatewayCounters> counters;
  private final EventSink events;
  private final InstantSource time;
  private final Runnable configChanged;
  private final Map<String, GatewayCounters.Latency> previous = new HashMap<>();

  MirrorWatch(
      JdbcMirrorStore mirrors,
      Supplier<GatewayCounters> counters,
      EventSink events,
      InstantSource time,
      Runnable configChanged) {
    this.mirrors = mirrors;
    this.counters = counters;
    this.events = events;
    this.time = time;
    this.configChanged = configChanged;
  }

  synchronized void check() {
    GatewayCounters now = counters.get();
    for (Mirror m : mirrors.all()) {
      if (!m.active()) {
        previous.remove(m.app());
        continue;
      }
      GatewayCounters.Latency total = now.of(m.app());
      GatewayCounters.Latency before = previous.put(m.app(), total);
      if (before == null) {
        continue;
      }
      GatewayCounters.Latency window = total.minus(before);
      if (m.baselineP99Seconds() == null) {
        if (window.count() >= MirrorGuard.MIN_REQUESTS) {
          mirrors.put(withBaseline(m, window.p99().orElse(null)));
        }
        continue;
      }
      MirrorGuard.verdict(m, window)
          .ifPresent(
              reason -> {
                mirrors.put(m.stopped(reason, time.instant()));
                events.emit(
                    Event.warning(
                        time.instant(), "local", "app", m.app(), m.app(), "MirrorStopped", reason));
                configChanged.run();
              });
    }
  }

  private static Mirror withBaseline(Mirror m, Double p99) {
    return new Mirror(
        m.app(),
        m.target(),
        m.port(),
        m.percent(),
        m.maxBodyBytes(),
        m.maxP99RisePercent(),
        p99,
        m.active(),
        m.stoppedReason(),
        m.createdBy(),
        m.updatedAt());
  }
}
