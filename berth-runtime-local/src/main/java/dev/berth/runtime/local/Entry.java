package dev.berth.runtime.local;

import dev.berth.core.app.AppSpec;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.oci.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How the image config and the spec combine into the process to run. Pure. */
final class Entry {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private Entry() {}

  /**
   * Kubernetes semantics: {@code command} replaces the image's Entrypoint (and then the image's Cmd
   * is dropped), {@code args} replaces the image's Cmd.
   */
  static List<String> args(ImageConfig image, AppSpec spec) {
    return args(image, spec.command(), spec.args());
  }

  /**
   * {@link #args(ImageConfig, AppSpec)} for any workload with a command and args (apps, task runs).
   */
  static List<String> args(ImageConfig image, List<String> command, List<String> args) {
    List<String> out = new ArrayList<>();
    if (!command.isEmpty()) {
      out.addAll(command);
      out.addAll(args);
    } else {
      out.addAll(image.entrypoint());
      out.addAll(args.isEmpty() ? image.cmd() : args);
    }
    if (out.isEmpty()) {
      throw new RuntimeFailure(
          "nothing to run: the image has no Entrypoint or Cmd and the spec sets no command");
    }
    return out;
  }

  /** The image's environment overlaid by the spec's, plus {@code HOSTNAME}; PATH defaulted. */
  static List<String> env(ImageConfig image, AppSpec spec, String hostname) {
    return env(image, spec.env(), hostname);
  }

  /** {@link #env(ImageConfig, AppSpec, String)} for any workload's environment. */
  static List<String> env(ImageConfig image, Map<String, String> specEnv, String hostname) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    for (String kv : image.env()) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    env.putAll(specEnv);
    env.put("HOSTNAME", hostname);
    List<String> out = new ArrayList<>(env.size());
    env.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  static String cwd(ImageConfig image) {
    return image.workingDir().isBlank() ? "/" : image.workingDir();
  }

  /**
   * Resolves the image's {@code User} ({@code ""}, {@code uid}, {@code uid:gid}, {@code name} or
   * {@code name:group}) to numbers with the image's own {@code /etc/passwd} and {@code /etc/group}
   * contents; unknown names become 0 (root), as the file lookup cannot do better.
   */
  static int[] user(String user, String passwd, String group) {
    if (user == null || user.isBlank()) {
      return new int[] {0, 0};
    }
    String[] parts = user.split(":", 2);
    Optional<String[]> pw = lookup(passwd, parts[0]);
    int uid =
        isNumber(parts[0]) ? Integer.parseInt(parts[0]) : pw.map(f -> parseOr(f[2], 0)).orElse(0);
    int gid;
    if (parts.length == 2) {
      gid =
          isNumber(parts[1])
              ? Integer.parseInt(parts[1])
              : lookup(group, parts[1]).map(f -> parseOr(f[2], 0)).orElse(0);
    } else if (isNumber(parts[0])) {
      gid = byUid(passwd, uid).map(f -> parseOr(f[3], 0)).orElse(0);
    } else {
      gid = pw.map(f -> parseOr(f[3], 0)).orElse(0);
    }
    return new int[] {uid, gid};
  }

  private static Optional<String[]> lookup(String file, String name) {
    if (file == null) {
      return Optional.empty();
    }
    return file.lines()
        .map(l -> l.split(":", -1))
        .filter(f -> f.length >= 4 && f[0].equals(name))
        .findFirst();
  }

  private static Optional<String[]> byUid(String passwd, int uid) {
    if (passwd == null) {
      return Optional.empty();
    }
    String u = Integer.toString(uid);
    return passwd
        .lines()
        .map(l -> l.split(":", -1))
        .filter(f -> f.length >= 4 && f[2].equals(u))
        .findFirst();
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  private static int parseOr(String s, int fallback) {
    return isNumber(s) ? Integer.parseInt(s) : fallback;
  }
}
