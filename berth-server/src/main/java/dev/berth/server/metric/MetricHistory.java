package dev.berth.server.metric;

import dev.berth.core.time.Scheduler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the embedded store's life: loads the saved history at start, collects every interval, saves
 * and prunes every flush interval and once more on close. Every timer is the injected {@link
 * Scheduler}'s.
 */
public final class MetricHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricHistory.class);

  private final EmbeddedMetricStore store;
  private final StoreFile file;
  private final Scheduler.Cancellable collecting;
  private final Scheduler.Cancellable flushing;

  MetricHistory(
      EmbeddedMetricStore store,
      StoreFile file,
      Runnable collector,
      MetricsProperties properties,
      Scheduler scheduler) {
    this.store = store;
    this.file = file;
    try {
      int loaded = file.load(store);
      if (loaded > 0) {
        LOG.info("metric history: {} series read from {}", loaded, file.path());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "metric history in {} cannot be read ({}); it starts afresh", file.path(), e.toString());
    }
    if (properties.enabled()) {
      collecting =
          scheduler.scheduleWithFixedDelay(
              properties.interval(), properties.interval(), guarded("collect", collector));
      flushing =
          scheduler.scheduleWithFixedDelay(
              properties.flushInterval(), properties.flushInterval(), guarded("save", this::flush));
    } else {
      collecting = Scheduler.Cancellable.NONE;
      flushing = Scheduler.Cancellable.NONE;
    }
  }

  /** Prunes and saves the store now. */
  public void flush() {
    store.prune();
    try {
      file.save(store);
    } catch (IOException e) {
      LOG.warn("metric history cannot be saved to {}: {}", file.path(), e.toString());
    }
  }

  private static Runnable guarded(String what, Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("metrics: {} failed, next interval tries again: {}", what, e.toString());
      }
    };
  }

  @Override
  public void close() {
    collecting.cancel();
    flushing.cancel();
    flush();
  }
}
