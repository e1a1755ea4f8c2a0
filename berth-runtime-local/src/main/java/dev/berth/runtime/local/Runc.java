package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.ExecResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The runc command line, with this runtime's state root. */
final class Runc {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String binary;
  private final Path root;

  /**
   * What {@code runc state} says: {@code created}, {@code running}, {@code paused} or {@code
   * stopped}.
   */
  record State(String status, long pid) {
    boolean running() {
      return "running".equals(status) || "created".equals(status) || "paused".equals(status);
    }
  }

  Runc(String binary, Path root) {
    this.binary = binary;
    this.root = root;
  }

  List<String> base() {
    return new ArrayList<>(List.of(binary, "--root", root.toString()));
  }

  /**
   * The supervision shim: a session leader shell that runs the container in the foreground (so that
   * runc exits with the container's status), its output stamped line by line ({@link LogStamper}),
   * and then writes that status to {@code exitFile} atomically. runc writes the container's pid to
   * {@code pidFile} (by a rename) once the container runs.
   */
  List<String> shim(String id, Path bundle, Path exitFile, Path runcLog, Path pidFile) {
    List<String> cmd =
        new ArrayList<>(
            List.of("setsid", "sh", "-c", LogStamper.SHIM, "berth-shim", exitFile.toString()));
    cmd.addAll(base());
    cmd.addAll(
        List.of(
            "--log",
            runcLog.toString(),
            "--log-format",
            "json",
            "run",
            "--keep",
            "--pid-file",
            pidFile.toString(),
            "--bundle",
            bundle.toString(),
            id));
    return cmd;
  }

  /** Cheap check without forking runc: does runc keep state for {@code id}? */
  boolean exists(String id) {
    return java.nio.file.Files.isDirectory(root.resolve(id));
  }

  Optional<State> state(String id) {
    List<String> cmd = base();
    cmd.addAll(List.of("state", id));
    Cmd.Result r = Cmd.run(Duration.ofSeconds(10), cmd);
    if (!r.ok()) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(r.output());
      return Optional.of(new State(n.path("status").asText(), n.path("pid").asLong()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  boolean kill(String id, String signal) {
    List<String> cmd = base();
    cmd.addAll(List.of("kill", id, signal));
    return Cmd.run(Duration.ofSeconds(10), cmd).ok();
  }

  void delete(String id, boolean force) {
    List<String> cmd = base();
    cmd.add("delete");
    if (force) {
      cmd.add("--force");
    }
    cmd.add(id);
    Cmd.run(Duration.ofSeconds(20), cmd);
  }

  ExecResult exec(String id, List<String> command, Duration timeout) {
    List<String> cmd = base();
    cmd.addAll(List.of("exec", id));
    cmd.addAll(command);
    Cmd.Result r = Cmd.run(timeout, cmd);
    return new ExecResult(r.exit(), r.output(), r.timedOut());
  }

  /**
   * {@code runc exec -t} in container {@code id}: runc creates the container's console and copies
   * it to its own standard input and output, which must be a terminal.
   */
  List<String> execWithTerminal(String id, List<String> command) {
    List<String> cmd = base();
    cmd.addAll(List.of("exec", "-t", "--env", "TERM=xterm-256color", id));
    cmd.addAll(command);
    return cmd;
  }

  private volatile String version;

  String version() {
    if (version == null) {
      version = readVersion();
    }
    return version;
  }

  private String readVersion() {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(10), List.of(binary, "--version"));
    return r.ok() ? r.output().lines().findFirst().orElse("runc") : "runc (unknown version)";
  }
}
