package dev.berth.core.app;

/** The three kinds of health check: a TCP connect (layer 4), an HTTP GET (layer 7), a command. */
public enum ProbeType {
  TCP,
  HTTP,
  CMD;

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
