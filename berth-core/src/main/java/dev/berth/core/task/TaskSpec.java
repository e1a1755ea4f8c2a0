package dev.berth.core.task;

import dev.berth.core.app.Resources;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a task run executes: an image, its entry and environment, and the resources it may use. */
public record TaskSpec(
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    Resources resources) {
  public TaskSpec {
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    resources = resources == null ? Resources.DEFAULT : resources;
  }
}
