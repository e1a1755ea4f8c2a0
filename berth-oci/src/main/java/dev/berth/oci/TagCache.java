package dev.berth.oci;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a tag pointed at when it was resolved, kept for a short freshness window so that the
 * requests of one start (the API's check of the image, then the runtime's preparation of it) ask
 * the registry once: within the window a tag that moved in the registry still gives its earlier
 * manifest. A window of zero turns the cache off. Thread-safe; at most {@link #MAX_ENTRIES}
 * entries, stale ones are dropped first.
 *
 * @param <V> what a resolution yields (a manifest and where it came from)
 */
final class TagCache<V> {
  static final int MAX_ENTRIES = 1024;
  private final Duration freshness;
  private final InstantSource clock;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();

  private record Entry<V>(V value, Instant resolvedAt) {}

  TagCache(Duration freshness, InstantSource clock) {
    if (freshness.isNegative()) {
      throw new IllegalArgumentException("freshness must not be negative, was " + freshness);
    }
    this.freshness = freshness;
    this.clock = clock;
  }

  /** What {@code tag} resolved to less than the freshness window ago. */
  Optional<V> get(String tag) {
    Entry<V> e = entries.get(tag);
    return e != null && fresh(e, clock.instant()) ? Optional.of(e.value()) : Optional.empty();
  }

  /** Records that {@code tag} resolved to {@code value} now. */
  void put(String tag, V value) {
    if (freshness.isZero()) {
      return;
    }
    Instant now = clock.instant();
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> !fresh(e, now));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(tag, new Entry<>(value, now));
  }

  private boolean fresh(Entry<V> e, Instant now) {
    return now.isBefore(e.resolvedAt().plus(freshness));
  }
}
