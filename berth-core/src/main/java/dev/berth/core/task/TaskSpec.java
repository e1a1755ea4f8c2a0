package dev.berth.core.task;

import dev.berth.core.app.Resources;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task run executes: an image, its entry and environment, the resources it may use, its
 * {@link Placement} (online or offline, a time window, an idle condition) and its {@link
 * RunScheduling} (the machine pool and node labels its runs are placed on).
 */
public record TaskSpec(
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    Resources resources,
    Placement placement,
    RunScheduling scheduling) {
  public TaskSpec {
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    resources = resources == null ? Resources.DEFAULT : resources;
    placement = placement == null ? Placement.ONLINE : placement;
    scheduling = scheduling == null ? RunScheduling.NONE : scheduling;
  }

  /** A task placed anywhere. */
  public TaskSpec(
      String image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      Resources resources,
      Placement placement) {
    this(image, command, args, env, resources, placement, null);
  }

  /** An online task that starts when asked. */
  public TaskSpec(
      String image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      Resources resources) {
    this(image, command, args, env, resources, null, null);
  }

  /** What a run is started with: offline work as best effort ({@link Placement#resourcesFor}). */
  public TaskSpec forRun() {
    return new TaskSpec(
        image, command, args, env, placement.resourcesFor(resources), placement, scheduling);
  }
}
