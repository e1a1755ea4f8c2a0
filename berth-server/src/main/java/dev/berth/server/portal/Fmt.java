package dev.berth.server.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Formatting for templates ({@code ${@fmt.time(x)}}): times in UTC, ages against the injected
 * clock.
 */
@Component("fmt")
public class Fmt {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private final Clock clock;

  public Fmt(Clock clock) {
    this.clock = clock;
  }

  public String time(Instant t) {
    return t == null ? "" : TIME.format(t);
  }

  /**
   * The time as a clock in {@code zone} shows it, with the zone's name: "2026-01-31 03:00:00
   * Europe/Berlin".
   */
  public String timeIn(Instant t, String zone) {
    if (t == null) {
      return "";
    }
    java.time.ZoneId z =
        zone == null || zone.isBlank() ? ZoneOffset.UTC : java.time.ZoneId.of(zone);
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(z).format(t)
        + " "
        + (zone == null || zone.isBlank() ? "UTC" : zone);
  }

  /** "12s ago", "5m ago", "3h ago", "2d ago". */
  public String ago(Instant t) {
    if (t == null) {
      return "";
    }
    long s = Math.max(0, Duration.between(t, clock.instant()).toSeconds());
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return s / 60 + "m ago";
    }
    if (s < 86_400) {
      return s / 3600 + "h ago";
    }
    return s / 86_400 + "d ago";
  }

  /** A CPU amount: "0.5", "2", or "–" for zero (none guaranteed / no limit). */
  public String cpu(double cores) {
    if (cores <= 0) {
      return "–";
    }
    return cores == Math.rint(cores) ? Long.toString((long) cores) : Double.toString(cores);
  }
}
