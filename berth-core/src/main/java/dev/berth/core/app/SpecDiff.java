package dev.berth.core.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Says in a few words what changed between two specs, for events and the audit trail. */
public final class SpecDiff {
  private SpecDiff() {}

  public static String describe(AppSpec before, AppSpec after) {
    List<String> parts = new ArrayList<>();
    if (!Objects.equals(before.image(), after.image())) {
      parts.add("image " + before.image() + " -> " + after.image());
    }
    if (!before.command().equals(after.command()) || !before.args().equals(after.args())) {
      parts.add("command changed");
    }
    if (!before.env().equals(after.env())) {
      parts.add("env changed");
    }
    if (!before.ports().equals(after.ports())) {
      parts.add("ports changed");
    }
    if (!before.resources().equals(after.resources())) {
      parts.add("resources changed");
    }
    if (!before.health().equals(after.health())) {
      parts.add("health checks changed");
    }
    if (!before.lifecycle().equals(after.lifecycle())) {
      parts.add("lifecycle changed");
    }
    if (!before.scheduling().equals(after.scheduling())) {
      parts.add("scheduling changed");
    }
    if (!before.security().equals(after.security())) {
      parts.add("security changed");
    }
    if (!before.routes().equals(after.routes())) {
      parts.add("routes changed");
    }
    return parts.isEmpty() ? "no change" : String.join(", ", parts);
  }
}
