package dev.berth.server.portal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Formatting for templates ({@code ${@fmt.time(x)}}): times in UTC, ages against the injected clock. */
@Component("fmt")
public class Fmt {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private final Clock clock;

  public Fmt(Clock clock) {
    this.clock = clock;
  }

  public String time(Instant t) {
    return t == null ? "" : TIME.format(t);
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
