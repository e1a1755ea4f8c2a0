package dev.berth.server.metric;

import dev.berth.core.metrics.MetricNames;
import dev.berth.core.metrics.Series;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One series of the embedded store: its name, labels and, per tier, the chunks written so far.
 * Thread-safe (every method holds the series' lock).
 */
final class StoredSeries {
  final String name;
  final Map<String, String> labels;
  private final boolean counter;
  private final List<Tier> tiers;
  private final List<TreeMap<Long, Chunk>> chunks = new ArrayList<>();
  private double lastValue = Double.NaN;
  private Instant lastAt;

  StoredSeries(String name, Map<String, String> labels, List<Tier> tiers) {
    this.name = name;
    this.labels = Map.copyOf(labels);
    this.counter = MetricNames.isCounter(name);
    this.tiers = tiers;
    for (int i = 0; i < tiers.size(); i++) {
      chunks.add(new TreeMap<>());
    }
  }

  synchronized void put(Instant at, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return;
    }
    for (int i = 0; i < tiers.size(); i++) {
      Tier tier = tiers.get(i);
      long slot = tier.slot(at);
      long number = Math.floorDiv(slot, tier.chunkSlots());
      Chunk c = chunks.get(i).computeIfAbsent(number, n -> new Chunk(n, tier.chunkSlots()));
      c.put((int) (slot - number * tier.chunkSlots()), value, counter);
    }
    if (lastAt == null || !at.isBefore(lastAt)) {
      lastAt = at;
      lastValue = value;
    }
  }

  /** Adds a chunk read from disk. */
  synchronized void restore(int tier, Chunk chunk) {
    chunks.get(tier).put(chunk.number, chunk);
    Tier t = tiers.get(tier);
    for (int s = chunk.slots() - 1; s >= 0; s--) {
      double v = chunk.get(s);
      if (!Double.isNaN(v)) {
        Instant at = t.time(chunk.number * t.chunkSlots() + s);
        if (lastAt == null || at.isAfter(lastAt)) {
          lastAt = at;
          lastValue = v;
        }
        break;
      }
    }
  }

  synchronized Instant lastAt() {
    return lastAt;
  }

  synchronized double lastValue() {
    return lastValue;
  }

  /**
   * The points at {@code from}, {@code from + step}, … up to {@code to} from tier {@code tier}: at
   * each time, the newest slot no older than {@code lookback}.
   */
  synchronized Series range(int tier, Instant from, Instant to, java.time.Duration step) {
    Tier t = tiers.get(tier);
    TreeMap<Long, Chunk> cs = chunks.get(tier);
    long back =
        Math.max(1, Math.max(step.toMillis(), 2 * t.step().toMillis()) / t.step().toMillis());
    List<Series.Point> points = new ArrayList<>();
    for (Instant at = from; !at.isAfter(to); at = at.plus(step)) {
      long slot = t.slot(at);
      for (long s = slot; s > slot - back; s--) {
        Chunk c = cs.get(Math.floorDiv(s, t.chunkSlots()));
        if (c == null) {
          continue;
        }
        double v = c.get((int) (s - c.number * t.chunkSlots()));
        if (!Double.isNaN(v)) {
          points.add(new Series.Point(at, v));
          break;
        }
      }
    }
    return new Series(name, labels, points);
  }

  /** Drops chunks that lie wholly before each tier's retention; true when nothing is left. */
  synchronized boolean prune(Instant now) {
    boolean empty = true;
    for (int i = 0; i < tiers.size(); i++) {
      Tier t = tiers.get(i);
      long oldestChunk = Math.floorDiv(t.oldestSlot(now), t.chunkSlots());
      chunks.get(i).headMap(oldestChunk).clear();
      empty &= chunks.get(i).isEmpty();
    }
    return empty;
  }

  /** A copy of the chunks of each tier, for saving. */
  synchronized List<List<Chunk>> chunks() {
    return chunks.stream().map(m -> (List<Chunk>) new ArrayList<>(m.values())).toList();
  }

  synchronized long bytes() {
    long b = 96 + 64L * labels.size();
    for (TreeMap<Long, Chunk> m : chunks) {
      for (Chunk c : m.values()) {
        b += c.bytes() + 48;
      }
    }
    return b;
  }
}
