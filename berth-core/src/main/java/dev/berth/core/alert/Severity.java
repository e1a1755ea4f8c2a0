package dev.berth.core.alert;

import java.util.Locale;

/** How urgent an alert is; on the wire in lower case. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  /** The severity named {@code text} (any case), or null when there is none by that name. */
  public static Severity parse(String text) {
    for (Severity s : values()) {
      if (s.name().equalsIgnoreCase(text)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
