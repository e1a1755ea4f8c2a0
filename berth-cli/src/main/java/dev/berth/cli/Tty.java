package dev.berth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The user's terminal, when standard input is one: its size, and raw mode (keys as typed, no echo)
 * for the session through {@code stty}, restored on close. Without a terminal (a pipe, a test) it
 * does nothing and the size is 80×24.
 */
final class Tty implements AutoCloseable {
  private final boolean real;
  private final int columns;
  private final int rows;
  private String saved;

  private Tty(boolean real, int columns, int rows) {
    this.real = real;
    this.columns = columns;
    this.rows = rows;
  }

  static Tty of(Io io) {
    if (io.in() != System.in || System.console() == null) {
      return new Tty(false, 80, 24);
    }
    String[] size = stty("size").orElse("24 80").split("\\s+");
    try {
      return new Tty(true, Integer.parseInt(size[1]), Integer.parseInt(size[0]));
    } catch (RuntimeException e) {
      return new Tty(true, 80, 24);
    }
  }

  int columns() {
    return columns;
  }

  int rows() {
    return rows;
  }

  void raw() {
    if (real) {
      saved = stty("-g").orElse(null);
      stty("raw", "-echo");
    }
  }

  @Override
  public void close() {
    if (real && saved != null) {
      stty(saved);
    }
  }

  /** A command as one POSIX shell line, each word single-quoted where needed. */
  static String quote(List<String> words) {
    return words.stream()
        .map(w -> w.matches("[A-Za-z0-9_./:=@%+-]+") ? w : "'" + w.replace("'", "'\\''") + "'")
        .collect(Collectors.joining(" "));
  }

  private static java.util.Optional<String> stty(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("stty"));
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? java.util.Optional.of(out) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }
}
