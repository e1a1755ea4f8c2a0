package dev.berth.core.task;

import dev.berth.core.app.QosClass;
import dev.berth.core.app.Resources;
import java.util.Locale;

/**
 * Where and when a task's runs may start. {@code kind} {@code offline} runs as best effort (lowest
 * CPU share, first to be killed for memory); {@code window} ({@code "01:00-06:00"}, may wrap
 * midnight) read in {@code timeZone} (IANA, UTC by default) and {@code idle} (node CPU below this
 * percentage, 1–100) hold a run in {@link RunState#WAITING} until they are met. Null fields:
 * online, any time, busy or not.
 */
public record Placement(Kind kind, String window, String timeZone, Integer idle) {
  /** Online work, started as soon as it is asked for. */
  public static final Placement ONLINE = new Placement(Kind.ONLINE, null, null, null);

  /** Online work competes with services as its resources say; offline work runs as best effort. */
  public enum Kind {
    ONLINE,
    OFFLINE;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Placement {
    kind = kind == null ? Kind.ONLINE : kind;
    window = window == null || window.isBlank() ? null : window.strip();
    timeZone = timeZone == null || timeZone.isBlank() ? null : timeZone.strip();
  }

  /** Whether a run may have to wait (a window or an idle condition is set). */
  public boolean conditional() {
    return window != null || idle != null;
  }

  /** The time zone the window is read in: the given one, UTC by default. */
  public String zoneOrUtc() {
    return timeZone == null ? "UTC" : timeZone;
  }

  /** The resources a run gets: offline work as best effort, online work as asked. */
  public Resources resourcesFor(Resources asked) {
    return kind == Kind.OFFLINE ? asked.withQos(QosClass.BEST_EFFORT) : asked;
  }
}
