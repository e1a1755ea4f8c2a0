package dev.berth.oci;

import java.util.List;
import java.util.Map;

/**
 * The parts of an OCI image config that decide how a container starts. {@code env} keeps the
 * image's {@code KEY=value} order; {@code user} may be empty (root), a name or {@code uid[:gid]}.
 */
public record ImageConfig(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    List<String> exposedPorts,
    Map<String, String> labels,
    String created) {
  public ImageConfig {
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
