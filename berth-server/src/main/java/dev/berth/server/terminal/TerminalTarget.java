package dev.berth.server.terminal;

import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.runtime.InstanceState;

/**
 * What a terminal opens into: an app's instance ({@code kind} {@code instance}, {@code owner} the
 * app) or a task's run ({@code kind} {@code run}, {@code owner} the task), on {@code cluster}, in
 * {@code team}.
 */
public record TerminalTarget(String kind, String name, String owner, String team, String cluster) {
  public static final String INSTANCE = "instance";
  public static final String RUN = "run";

  /**
   * Whether a terminal into it may stay open: the instance still runs; the run still runs or its
   * filesystem is still kept. Reads the runtime's cache only.
   */
  public boolean alive(ClusterRuntime runtime) {
    if (INSTANCE.equals(kind)) {
      return runtime.instances(owner).stream()
          .anyMatch(i -> i.id().equals(name) && i.state() == InstanceState.RUNNING);
    }
    return runtime
        .run(name)
        .map(r -> r.state() == dev.berth.core.task.RunState.RUNNING || !r.reclaimed())
        .orElse(false);
  }
}
