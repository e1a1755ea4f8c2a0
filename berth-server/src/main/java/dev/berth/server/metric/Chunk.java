package dev.berth.server.metric;

import java.util.Arrays;

/**
 * A fixed run of slots of one series in one tier. Values are kept as float offsets from the chunk's
 * first value ({@code base}, a double), which keeps counters that run into the billions exact to
 * well below their per-slot change while a slot costs four bytes. A slot written more than once (a
 * coarse tier's slot spans several samples) holds the mean of a gauge and the last value of a
 * counter. Not thread-safe: its series guards it.
 */
final class Chunk {
  final long number;
  private double base = Double.NaN;
  private final float[] values;
  private final byte[] counts;

  Chunk(long number, int slots) {
    this.number = number;
    this.values = new float[slots];
    this.counts = new byte[slots];
    Arrays.fill(values, Float.NaN);
  }

  /** A chunk read back from disk. */
  Chunk(long number, double base, float[] values, byte[] counts) {
    this.number = number;
    this.base = base;
    this.values = values;
    this.counts = counts;
  }

  void put(int slot, double value, boolean counter) {
    if (Double.isNaN(base)) {
      base = value;
    }
    float offset = (float) (value - base);
    int n = counts[slot] & 0xff;
    if (n == 0 || counter) {
      values[slot] = offset;
    } else {
      values[slot] = (values[slot] * n + offset) / (n + 1);
    }
    if (n < 255) {
      counts[slot] = (byte) (n + 1);
    }
  }

  /** The value of a slot, NaN when none was written. */
  double get(int slot) {
    return counts[slot] == 0 ? Double.NaN : base + values[slot];
  }

  int slots() {
    return values.length;
  }

  double base() {
    return base;
  }

  float[] values() {
    return values;
  }

  byte[] counts() {
    return counts;
  }

  /** Bytes this chunk holds in memory (its arrays and fields). */
  long bytes() {
    return 5L * values.length + 48;
  }
}
