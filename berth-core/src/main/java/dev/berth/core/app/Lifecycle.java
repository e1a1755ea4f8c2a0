package dev.berth.core.app;

import java.util.List;

/**
 * Start and stop hooks. {@code preStop} runs inside the instance before it gets SIGTERM (the "stop
 * entry"); after {@code stopTimeoutSeconds} without exiting it gets SIGKILL. {@code init} runs the
 * entry under a minimal init process that forwards signals and reaps zombies.
 */
public record Lifecycle(
    List<String> postStart, List<String> preStop, int stopTimeoutSeconds, Boolean init) {
  public static final Lifecycle DEFAULT = new Lifecycle(List.of(), List.of(), 30, true);

  public Lifecycle {
    postStart = postStart == null ? List.of() : List.copyOf(postStart);
    preStop = preStop == null ? List.of() : List.copyOf(preStop);
    if (stopTimeoutSeconds == 0) {
      stopTimeoutSeconds = 30;
    }
    if (init == null) {
      init = true;
    }
  }

  /** Whether the entry runs under Berth's init process. */
  public boolean usesInit() {
    return init;
  }
}
