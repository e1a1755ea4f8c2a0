package dev.berth.server.autoscale;

import java.util.Map;
import java.util.TreeMap;

/** A quantile from cumulative histogram buckets, interpolated linearly as PromQL does. */
final class Quantile {
  private Quantile() {}

  /**
   * @param buckets upper bound ({@code le}) → cumulative count (or rate)
   * @return the quantile, NaN when the histogram is empty
   */
  static double fromBuckets(double q, Map<Double, Double> buckets) {
    TreeMap<Double, Double> sorted = new TreeMap<>(buckets);
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    double total = sorted.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> b : sorted.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return lowerBound;
        }
        double inBucket = b.getValue() - lowerCount;
        return inBucket <= 0
            ? b.getKey()
            : lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = b.getKey();
      lowerCount = b.getValue();
    }
    return lowerBound;
  }
}
