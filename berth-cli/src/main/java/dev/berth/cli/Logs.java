package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The log options of the API ({@code follow}, {@code tail}, {@code since}, {@code timestamps}). */
final class Logs {
  @Option(
      names = {"-f", "--follow"},
      description = "keep printing new lines")
  boolean follow;

  @Option(names = "--tail", description = "only the last N lines")
  Integer tail;

  @Option(names = "--since", description = "an RFC 3339 time or a duration back (90s, 5m, 1h30m)")
  String since;

  @Option(names = "--timestamps", description = "start each line with its time")
  boolean timestamps;

  String query() {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("tail", tail);
    q.put("since", since);
    q.put("follow", follow ? true : null);
    q.put("timestamps", timestamps ? true : null);
    return Api.query(q);
  }

  /** Copies a log answer to standard output as it arrives. */
  static void copy(Api api, String path, Io io) {
    try (InputStream in = api.stream(path)) {
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        io.out().write(buffer, 0, n);
        io.out().flush();
      }
    } catch (IOException e) {
      throw new CliException("the log broke off: " + e.getMessage());
    }
  }
}
