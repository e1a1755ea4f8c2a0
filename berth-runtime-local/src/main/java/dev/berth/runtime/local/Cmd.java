package dev.berth.runtime.local;

import dev.berth.core.runtime.RuntimeFailure;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host command with a timeout and captures its combined output (capped). */
final class Cmd {
  static final int OUTPUT_CAP = dev.berth.core.runtime.ExecResult.OUTPUT_CAP;

  record Result(int exit, String output, boolean timedOut) {
    boolean ok() {
      return exit == 0 && !timedOut;
    }
  }

  private Cmd() {}

  static Result run(Duration timeout, List<String> command) {
    return run(timeout, command, null);
  }

  /** Runs with {@code input} on standard input (none when null). */
  static Result run(Duration timeout, List<String> command, String input) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (input == null) {
      pb.redirectInput(new File("/dev/null"));
    }
    Process p;
    try {
      p = pb.start();
      if (input != null) {
        try (var stdin = p.getOutputStream()) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new RuntimeFailure("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
    boolean timedOut = false;
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        p.destroy();
        if (!p.waitFor(1, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(2, TimeUnit.SECONDS);
        }
      }
      reader.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RuntimeFailure("interrupted while running " + command.get(0), e);
    }
    String text;
    synchronized (out) {
      text = out.toString(StandardCharsets.UTF_8);
    }
    return new Result(p.isAlive() ? -1 : p.exitValue(), text, timedOut);
  }

  static Result run(String... command) {
    return run(Duration.ofSeconds(30), List.of(command));
  }

  /** Runs and throws {@link RuntimeFailure} naming the command and its output unless it exits 0. */
  static String check(String... command) {
    Result r = run(command);
    if (!r.ok()) {
      throw new RuntimeFailure(
          String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.output().strip());
    }
    return r.output();
  }

  /** Like {@link #check(String...)}, feeding {@code input} (e.g. an {@code ip -batch -} script). */
  static String checkWithInput(String input, String... command) {
    Result r = run(Duration.ofSeconds(30), List.of(command), input);
    if (!r.ok()) {
      throw new RuntimeFailure(
          String.join(" ", command)
              + " failed (exit "
              + r.exit()
              + "): "
              + r.output().strip()
              + "\ninput:\n"
              + input);
    }
    return r.output();
  }

  static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (out) {
          int room = OUTPUT_CAP - out.size();
          if (room > 0) {
            out.write(buf, 0, Math.min(room, n));
          }
        }
      }
    } catch (IOException ignored) {
      // the process went away; what was read is kept
    }
  }
}
