package dev.berth.core.runtime;

import java.util.Optional;

/** Instance ids are {@code <app>-<ordinal>}, like the pod names of a StatefulSet. */
public final class InstanceIds {
  private InstanceIds() {}

  public static String id(String app, int ordinal) {
    return app + "-" + ordinal;
  }

  /** The ordinal of {@code id} when it belongs to {@code app}. */
  public static Optional<Integer> ordinal(String app, String id) {
    if (id == null || !id.startsWith(app + "-")) {
      return Optional.empty();
    }
    String rest = id.substring(app.length() + 1);
    if (rest.isEmpty() || rest.length() > 6 || !rest.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(rest));
  }
}
