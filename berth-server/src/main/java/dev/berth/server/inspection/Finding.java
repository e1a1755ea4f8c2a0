package dev.berth.server.inspection;

import java.util.Locale;

/**
 * One result of an inspection: which check, about which item (a node, a registry, an app, ...),
 * whether it passed, and a sentence for people.
 */
public record Finding(String check, String item, Status status, String message) {
  /** {@code fail} needs action now, {@code warn} soon; {@code ok} passed. */
  public enum Status {
    OK,
    WARN,
    FAIL;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static Finding ok(String check, String item, String message) {
    return new Finding(check, item, Status.OK, message);
  }

  static Finding warn(String check, String item, String message) {
    return new Finding(check, item, Status.WARN, message);
  }

  static Finding fail(String check, String item, String message) {
    return new Finding(check, item, Status.FAIL, message);
  }
}
