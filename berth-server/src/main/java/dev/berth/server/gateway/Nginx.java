package dev.berth.server.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The nginx driver: the files in the gateway directory and the {@code nginx} commands. Managed: the
 * whole {@code nginx.conf}, tested as {@code nginx.conf.next} before it replaces the old one, and
 * the process itself. External: {@code berth.conf} only, tested in place with the operator's test
 * command and put back when refused. Not thread-safe; {@link Gateway} calls it from one thread at a
 * time.
 */
final class Nginx {
  private static final long COMMAND_SECONDS = 30;
  private final GatewayProperties settings;
  private final Path dir;

  Nginx(GatewayProperties settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path configFile() {
    return dir.resolve(settings.managed() ? "nginx.conf" : "berth.conf");
  }

  /** The config on disk, empty when there is none yet. */
  String current() {
    try {
      return Files.exists(configFile()) ? Files.readString(configFile()) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates the directory (0700), its temp dirs and the Lua module when they differ. */
  void prepare() {
    try {
      // Workers run as an unprivileged user and must reach the Lua module and temp directories;
      // the control socket sits in a directory only root may enter.
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
      Path control = dir.resolve("private");
      Files.createDirectories(control);
      Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rwx------"));
      for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
        Files.createDirectories(dir.resolve("tmp/" + t));
      }
      Files.createDirectories(dir.resolve("lua"));
      String lua;
      try (InputStream in = Nginx.class.getResourceAsStream("/gateway/berth.lua")) {
        lua = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Path file = dir.resolve("lua/berth.lua");
      if (!Files.exists(file) || !Files.readString(file).equals(lua)) {
        writeAtomically(file, lua);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the gateway directory " + dir, e);
    }
  }

  /**
   * Tests {@code text} with nginx and, when nginx accepts it, makes it the config on disk. Returns
   * nginx's complaint when it refuses; the config on disk is then the one before.
   */
  Optional<String> install(String text) {
    try {
      if (settings.managed()) {
        Path next = dir.resolve("nginx.conf.next");
        writeAtomically(next, text);
        Result r = run(settings.nginx(), "-t", "-q", "-p", dir.toString(), "-c", next.toString());
        if (!r.ok()) {
          Files.deleteIfExists(next);
          return Optional.of(r.output());
        }
        Files.move(next, configFile(), StandardCopyOption.ATOMIC_MOVE);
        return Optional.empty();
      }
      String before = current();
      writeAtomically(configFile(), text);
      Result r = run(settings.testCommand());
      if (!r.ok()) {
        writeAtomically(configFile(), before);
        return Optional.of(r.output());
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the managed nginx on the config on disk; it runs on as a daemon. */
  void start() {
    try {
      // A killed nginx leaves its unix socket behind, and a new one could not bind it.
      Files.deleteIfExists(dir.resolve("private/control.sock"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Result r = run(settings.nginx(), "-p", dir.toString(), "-c", configFile().toString());
    if (!r.ok()) {
      throw new GatewayException("nginx did not start: " + r.output());
    }
  }

  /** Asks nginx to load the config on disk: new workers, old ones finish their requests. */
  void reload() {
    Result r =
        settings.managed()
            ? run(
                settings.nginx(),
                "-s",
                "reload",
                "-p",
                dir.toString(),
                "-c",
                configFile().toString())
            : run(settings.reloadCommand());
    if (!r.ok()) {
      throw new GatewayException("nginx did not reload: " + r.output());
    }
  }

  /** The managed nginx's master process, when it runs. */
  OptionalLong master() {
    try {
      Path pidFile = dir.resolve("nginx.pid");
      if (!Files.exists(pidFile)) {
        return OptionalLong.empty();
      }
      String text = Files.readString(pidFile).strip();
      if (text.isEmpty()) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(text);
      boolean nginx =
          ProcessHandle.of(pid)
              .filter(ProcessHandle::isAlive)
              .flatMap(p -> p.info().command())
              .map(c -> c.endsWith("nginx"))
              .orElse(false);
      return nginx ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Stops the managed nginx (graceful quit); for tests and shutdown. */
  void quit() {
    run(settings.nginx(), "-s", "quit", "-p", dir.toString(), "-c", configFile().toString());
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private record Result(boolean ok, String output) {}

  private Result run(String... command) {
    return run(List.of(command));
  }

  /**
   * Runs a command with its output in a file, not a pipe: a daemonizing nginx keeps its stderr
   * open, and a pipe would never end.
   */
  private Result run(List<String> command) {
    try {
      Path out = Files.createTempFile(dir, "command-", ".out");
      try {
        Process p =
            new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Result(false, String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue() == 0, Files.readString(out).strip());
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return new Result(false, String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }
}
