package dev.berth.server.metric;

import dev.berth.core.metrics.MetricSource;
import dev.berth.core.metrics.Sample;
import dev.berth.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Berth's own metric history: every sample the collectors write, kept in memory in tiers of falling
 * resolution (by default 15 s slots for 24 h and 5 min slots for 30 days) and saved to the data
 * directory by {@link StoreFile}, so it survives a restart (ADR 0024). Queries take the finest tier
 * that still covers their start. Thread-safe: series are looked up lock-free and each series guards
 * itself.
 */
public final class EmbeddedMetricStore implements MetricSource {
  /** At most this many points per series in one range answer (Prometheus' own limit). */
  public static final int MAX_POINTS = 11_000;

  private final List<Tier> tiers;
  private final InstantSource clock;
  private final Duration staleness;
  private final Map<String, Map<Map<String, String>, StoredSeries>> series =
      new ConcurrentHashMap<>();

  /**
   * @param tiers the resolutions, finest first
   * @param staleness how old a series' newest sample may be for {@link #latest} (three collection
   *     intervals by default)
   */
  EmbeddedMetricStore(List<Tier> tiers, Duration staleness, InstantSource clock) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("the store needs at least one tier");
    }
    this.tiers = List.copyOf(tiers);
    this.staleness = staleness;
    this.clock = clock;
  }

  /**
   * A store with a fine tier ({@code step} for {@code retention}) and a coarse one ({@code
   * coarseStep} for {@code coarseRetention}); {@link #latest} answers series no older than three
   * steps. For tests of other features, too.
   */
  public static EmbeddedMetricStore of(
      Duration step,
      Duration retention,
      Duration coarseStep,
      Duration coarseRetention,
      InstantSource clock) {
    return new EmbeddedMetricStore(
        List.of(Tier.of(step, retention), Tier.of(coarseStep, coarseRetention)),
        step.multipliedBy(3),
        clock);
  }

  /** Keeps every sample (NaN and infinite values are dropped). */
  public void write(Collection<Sample> samples) {
    for (Sample s : samples) {
      seriesOf(s.name(), s.labels()).put(s.at(), s.value());
    }
  }

  StoredSeries seriesOf(String name, Map<String, String> labels) {
    return series
        .computeIfAbsent(name, n -> new ConcurrentHashMap<>())
        .computeIfAbsent(labels, l -> new StoredSeries(name, l, tiers));
  }

  @Override
  public List<Sample> latest(String metric, Map<String, String> match) {
    Instant oldest = clock.instant().minus(staleness);
    List<Sample> out = new ArrayList<>();
    for (StoredSeries s : matching(metric, match)) {
      Instant at = s.lastAt();
      if (at != null && !at.isBefore(oldest)) {
        out.add(new Sample(s.name, s.labels, s.lastValue(), at));
      }
    }
    out.sort(Comparator.comparing(x -> x.labels().toString()));
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code to} is before {@code from}, {@code step} is not
   *     positive, or the answer would exceed {@link #MAX_POINTS} points per series
   */
  @Override
  public List<Series> range(
      String metric, Map<String, String> match, Instant from, Instant to, Duration step) {
    checkRange(from, to, step);
    int tier = tierFor(from);
    List<Series> out = new ArrayList<>();
    for (StoredSeries s : matching(metric, match)) {
      Series r = s.range(tier, from, to, step);
      if (!r.points().isEmpty()) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(x -> x.labels().toString()));
    return out;
  }

  /** The problems of a range query, as {@link IllegalArgumentException}s naming the parameter. */
  static void checkRange(Instant from, Instant to, Duration step) {
    if (step == null || step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step must be a positive duration, was " + step);
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to (" + to + ") must not be before from (" + from + ")");
    }
    long points = Duration.between(from, to).toMillis() / step.toMillis() + 1;
    if (points > MAX_POINTS) {
      throw new IllegalArgumentException(
          "step "
              + step
              + " gives "
              + points
              + " points between from and to; at most "
              + MAX_POINTS
              + " are answered: choose a larger step");
    }
  }

  /** The finest tier whose retention still reaches back to {@code from}. */
  int tierFor(Instant from) {
    Instant now = clock.instant();
    for (int i = 0; i < tiers.size(); i++) {
      if (!from.isBefore(now.minus(tiers.get(i).retention()))) {
        return i;
      }
    }
    return tiers.size() - 1;
  }

  private List<StoredSeries> matching(String metric, Map<String, String> match) {
    Map<Map<String, String>, StoredSeries> all = series.get(metric);
    if (all == null) {
      return List.of();
    }
    return all.values().stream()
        .filter(s -> match == null || s.labels.entrySet().containsAll(match.entrySet()))
        .toList();
  }

  /** The metric names that have series. */
  public List<String> names() {
    return series.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Drops what is older than each tier keeps, and series with nothing left. */
  public void prune() {
    Instant now = clock.instant();
    for (Map<Map<String, String>, StoredSeries> byLabels : series.values()) {
      byLabels.values().removeIf(s -> s.prune(now));
    }
  }

  /** Every series (for saving and the Prometheus endpoint). */
  List<StoredSeries> all() {
    return series.values().stream().flatMap(m -> m.values().stream()).toList();
  }

  public int seriesCount() {
    return series.values().stream().mapToInt(Map::size).sum();
  }

  /** Bytes the series hold in memory (their arrays; an estimate of object headers). */
  public long bytes() {
    return all().stream().mapToLong(StoredSeries::bytes).sum();
  }

  List<Tier> tiers() {
    return tiers;
  }

  Duration staleness() {
    return staleness;
  }
}
