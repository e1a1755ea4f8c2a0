package dev.berth.core.alert;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in rules: {@code 30s}, {@code 5m}, {@code 1h}, {@code 0}. */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(-?\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 5m}-style or ISO-8601 ({@code PT5M}) text; {@link IllegalArgumentException} with
   * the accepted forms otherwise.
   */
  public static Duration parse(String text) {
    String t = text.strip();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "must be a duration such as 30s, 5m, 1h or PT5M, was '" + text + "'", e);
    }
  }

  /** The shortest of {@code 90s}, {@code 5m}, {@code 2h}, {@code 0} that says {@code d} exactly. */
  public static String format(Duration d) {
    long s = d.toSeconds();
    if (d.toMillisPart() != 0) {
      return d.toMillis() + "ms";
    }
    if (s == 0) {
      return "0";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /** A threshold without a pointless {@code .0}. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
