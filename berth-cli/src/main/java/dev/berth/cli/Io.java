package dev.berth.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a run of the command line reads and writes: its output and error streams, its input and its
 * environment. Tests pass their own, so the CLI runs in-process with a home directory of their own.
 */
public record Io(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {

  /** The process's own streams and environment. */
  public static Io system() {
    return new Io(System.out, System.err, System.in, System.getenv());
  }

  /** {@code $XDG_CONFIG_HOME/berth/config}, else {@code $HOME/.config/berth/config}. */
  Path configFile() {
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "berth", "config");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".config", "berth", "config");
  }
}
