package dev.berth.runtime.local.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Reading cgroup files without exceptions: absent or unreadable is empty. */
final class CgroupFiles {
  private CgroupFiles() {}

  static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file).trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A number, or {@code -1} for the kernel's "max"; empty when absent or not a number. */
  static Optional<Long> number(Path file) {
    return read(file).flatMap(CgroupFiles::parse);
  }

  static Optional<Long> parse(String s) {
    if (s.equals("max")) {
      return Optional.of(-1L);
    }
    try {
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The value of {@code key} in a flat keyed file such as {@code memory.events} or {@code
   * cpu.stat}.
   */
  static Optional<Long> keyed(Path file, String key) {
    return read(file)
        .flatMap(
            text ->
                text.lines()
                    .map(l -> l.trim().split("\\s+"))
                    .filter(kv -> kv.length == 2 && kv[0].equals(key))
                    .findFirst()
                    .flatMap(kv -> parse(kv[1])));
  }

  static OptionalLong of(Optional<Long> v) {
    return v.isPresent() ? OptionalLong.of(v.get()) : OptionalLong.empty();
  }

  /** A limit: empty when absent or unlimited ({@code max}, or v1's near-Long.MAX_VALUE). */
  static OptionalLong limit(Optional<Long> v) {
    return v.isEmpty() || v.get() < 0 || v.get() >= Long.MAX_VALUE - (1L << 20)
        ? OptionalLong.empty()
        : OptionalLong.of(v.get());
  }

  /** {@code usage} minus {@code inactive}, never below 0; empty without {@code usage}. */
  static OptionalLong workingSet(Optional<Long> usage, Optional<Long> inactive) {
    return usage.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(Math.max(0, usage.get() - inactive.orElse(0L)));
  }

  static List<Integer> procs(Path file) {
    try {
      return read(file)
          .map(
              text ->
                  text.lines()
                      .map(String::trim)
                      .filter(l -> !l.isEmpty())
                      .map(Integer::valueOf)
                      .toList())
          .orElse(List.of());
    } catch (NumberFormatException e) {
      return List.of();
    }
  }

  static boolean removeEmptyDir(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // still in use or not empty: leave it
    }
    return !Files.isDirectory(dir);
  }

  /** Directories below {@code dir}, deepest first, relative to {@code base} as "/a/b" paths. */
  static List<String> subdirs(Path base, Path dir) {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isDirectory)
          .filter(p -> !p.equals(dir))
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(p -> out.add("/" + base.relativize(p).toString()));
    } catch (IOException | RuntimeException e) {
      // a directory vanished while walking: report what was seen
    }
    return out;
  }

  static String relative(String cgroupPath) {
    return cgroupPath.replaceAll("^/+", "");
  }
}
