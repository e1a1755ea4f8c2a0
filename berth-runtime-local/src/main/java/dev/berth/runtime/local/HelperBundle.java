package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bundle of a helper container on the kept root of an ended run: the run's own config (its
 * environment, user, network and limits) with {@code command} as the process, its own cgroup, and,
 * for a terminal, a TTY of the given size. Written next to the run's bundle.
 */
final class HelperBundle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HelperBundle() {}

  /**
   * Writes the helper's bundle into a fresh directory {@code name} beside the run's bundle.
   *
   * @param terminal columns and rows of the TTY, or null for plain pipes
   * @return the bundle directory
   */
  static Path write(
      InstanceDirs dirs, String name, String cgroupsPath, List<String> command, int[] terminal)
      throws IOException {
    Path bundle = dirs.bundle().resolveSibling(name);
    Fs.deleteTree(bundle);
    Files.createDirectories(bundle);
    ObjectNode config = (ObjectNode) JSON.readTree(dirs.config().toFile());
    ObjectNode process = (ObjectNode) config.path("process");
    ArrayNode args = (ArrayNode) process.path("args");
    boolean init = !args.isEmpty() && args.get(0).asText().equals(BundleSpec.INIT_PATH);
    args.removeAll();
    if (init) {
      args.add(BundleSpec.INIT_PATH).add("--");
    }
    command.forEach(args::add);
    if (terminal != null) {
      process.put("terminal", true);
      process.putObject("consoleSize").put("width", terminal[0]).put("height", terminal[1]);
      ArrayNode env = process.withArray("env");
      env.add("TERM=xterm-256color");
    }
    ((ObjectNode) config.path("linux")).put("cgroupsPath", cgroupsPath);
    Fs.writeAtomically(bundle.resolve("config.json"), config.toPrettyString());
    return bundle;
  }
}
