package dev.berth.core.app;

import dev.berth.core.support.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an application's name, spec and instance count; every problem is reported with its field. */
public final class AppValidator {
  /** Instance ids ({@code <app>-<ordinal>}) must stay valid hostnames and Kubernetes pod names. */
  public static final int MAX_NAME = 50;

  public static final int MAX_INSTANCES = 1000;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern IMAGE = Pattern.compile("[^\\s\\x00-\\x1f]{1,512}");

  private AppValidator() {}

  public static void validateName(String name, Errors errors) {
    errors.dnsLabel(name, "name", MAX_NAME);
  }

  /** The instance count of a scale request: required, and in range. */
  public static void validateInstances(Integer instances, Errors errors) {
    if (instances == null) {
      return;
    }
    errors.check(instances >= 0, "instances", "must be >= 0, was " + instances);
    errors.check(instances <= MAX_INSTANCES, "instances", "must be <= " + MAX_INSTANCES + ", was " + instances);
  }

  public static void validateSpec(AppSpec spec, Errors errors) {
    validateImage(spec.image(), errors);
    validateEnv(spec.env(), errors);
    validatePorts(spec.ports(), errors);
    validateResources(spec.resources(), errors);
    Set<Integer> ports = new HashSet<>();
    spec.ports().forEach(p -> ports.add(p.port()));
    validateProbe(spec.health().liveness(), "health.liveness", errors);
    validateProbe(spec.health().readiness(), "health.readiness", errors);
    Lifecycle l = spec.lifecycle();
    errors.check(
        l.stopTimeoutSeconds() > 0 && l.stopTimeoutSeconds() <= 3600,
        "lifecycle.stopTimeoutSeconds",
        "must be between 1 and 3600, was " + l.stopTimeoutSeconds());
    checkCommand(l.preStop(), "lifecycle.preStop", errors);
    checkCommand(l.postStart(), "lifecycle.postStart", errors);
    checkCommand(spec.command(), "command", errors);
    checkCommand(spec.args(), "args", errors);
    validateScheduling(spec.scheduling(), errors);
  }

  private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  private static void validateScheduling(Scheduling s, Errors errors) {
    if (s.pool() != null && !s.pool().isEmpty()) {
      errors.dnsLabel(s.pool(), "scheduling.pool", 63);
    }
    labels(s.nodeLabels(), "scheduling.nodeLabels", errors);
    labels(s.prefer(), "scheduling.prefer", errors);
    for (int i = 0; i < s.affinity().size(); i++) {
      Scheduling.AppAffinity a = s.affinity().get(i);
      errors.dnsLabel(a == null ? null : a.app(), "scheduling.affinity[" + i + "].app", MAX_NAME);
    }
  }

  private static void labels(Map<String, String> labels, String field, Errors errors) {
    labels.forEach((k, v) -> {
      if (!LABEL_KEY.matcher(k).matches()) {
        errors.add(field + "." + k, "is not a valid label key, e.g. 'disk' or 'example.com/disk'");
      }
      if (v == null || !LABEL_VALUE.matcher(v).matches()) {
        errors.add(field + "." + k, "must be a label value: up to 63 letters, digits, '-', '_' or '.', was '" + v + "'");
      }
    });
  }

  public static void validateImage(String image, Errors errors) {
    if (image == null || image.isBlank()) {
      errors.add("image", "is required, e.g. '127.0.0.1:5000/demo/busybox:1'");
    } else if (!IMAGE.matcher(image).matches()) {
      errors.add("image", "must be an image reference without spaces or control characters");
    }
  }

  public static void validateEnv(Map<String, String> env, Errors errors) {
    env.forEach(
        (k, v) -> {
          if (!ENV_NAME.matcher(k).matches()) {
            errors.add("env." + k, "is not a valid variable name: use letters, digits, '_', '.', '-', not starting with a digit");
          }
          if (v == null) {
            errors.add("env." + k, "must have a value (use \"\" for empty)");
          } else if (v.indexOf('\0') >= 0) {
            errors.add("env." + k, "must not contain NUL characters");
          }
        });
  }

  private static void validatePorts(List<PortSpec> ports, Errors errors) {
    Set<Integer> seen = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      PortSpec p = ports.get(i);
      String f = "ports[" + i + "]";
      if (p == null) {
        errors.add(f, "must not be null");
        continue;
      }
      if (p.port() < 1 || p.port() > 65535) {
        errors.add(f + ".port", "must be between 1 and 65535, was " + p.port());
      } else if (!seen.add(p.port())) {
        errors.add(f + ".port", "port " + p.port() + " is listed twice");
      }
      if (p.name() != null && !p.name().isEmpty()) {
        errors.dnsLabel(p.name(), f + ".name", 15);
        if (!names.add(p.name())) {
          errors.add(f + ".name", "name '" + p.name() + "' is used twice");
        }
      }
      errors.check(
          p.protocol().equals("tcp") || p.protocol().equals("udp"),
          f + ".protocol",
          "must be 'tcp' or 'udp', was '" + p.protocol() + "'");
    }
  }

  private static void validateResources(Resources r, Errors errors) {
    validateResources(r, "resources", errors);
  }

  /** Checks resources under the JSON path {@code prefix} (e.g. {@code resources}). */
  public static void validateResources(Resources r, String prefix, Errors errors) {
    errors.check(r.cpu() >= 0 && r.cpu() <= 256, prefix + ".cpu", "must be between 0 and 256 cores, was " + r.cpu());
    errors.check(
        r.cpuLimit() >= 0 && r.cpuLimit() <= 256, prefix + ".cpuLimit", "must be between 0 (no limit) and 256 cores, was " + r.cpuLimit());
    if (r.cpuLimit() > 0 && r.cpuLimit() < r.cpu()) {
      errors.add(prefix + ".cpuLimit", "must be >= " + prefix + ".cpu (" + r.cpu() + ") or 0 for no limit, was " + r.cpuLimit());
    }
    errors.check(
        r.memoryMiB() >= 4 && r.memoryMiB() <= 1_048_576,
        prefix + ".memoryMiB",
        "must be between 4 and 1048576 MiB, was " + r.memoryMiB());
    errors.check(r.pids() >= 8 && r.pids() <= 1_000_000, prefix + ".pids", "must be between 8 and 1000000, was " + r.pids());
    if (r.cpuPolicy() == CpuPolicy.CPUSET && r.cpu() <= 0) {
      errors.add(prefix + ".cpu", "must be > 0 with cpuPolicy 'cpuset' (the number of dedicated CPUs)");
    }
  }

  private static void validateProbe(Probe p, String f, Errors errors) {
    if (p == null) {
      return;
    }
    if (p.type() == null) {
      errors.add(f + ".type", "is required: 'tcp', 'http' or 'cmd'");
      return;
    }
    switch (p.type()) {
      case TCP, HTTP -> {
        if (p.port() == null || p.port() < 1 || p.port() > 65535) {
          errors.add(f + ".port", "must be between 1 and 65535 for a " + p.type() + " check, was " + p.port());
        }
        if (p.type() == ProbeType.HTTP && !p.path().startsWith("/")) {
          errors.add(f + ".path", "must start with '/', was '" + p.path() + "'");
        }
      }
      case CMD -> {
        if (p.command().isEmpty()) {
          errors.add(f + ".command", "is required for a cmd check, e.g. [\"cat\", \"/tmp/ready\"]");
        }
        checkCommand(p.command(), f + ".command", errors);
      }
    }
    errors.check(p.periodSeconds() <= 3600, f + ".periodSeconds", "must be <= 3600, was " + p.periodSeconds());
    errors.check(p.timeoutSeconds() <= 600, f + ".timeoutSeconds", "must be <= 600, was " + p.timeoutSeconds());
    errors.check(p.initialDelaySeconds() <= 3600, f + ".initialDelaySeconds", "must be <= 3600, was " + p.initialDelaySeconds());
  }

  public static void checkCommand(List<String> command, String f, Errors errors) {
    for (int i = 0; i < command.size(); i++) {
      String arg = command.get(i);
      if (arg == null) {
        errors.add(f + "[" + i + "]", "must not be null");
      } else if (arg.indexOf('\0') >= 0) {
        errors.add(f + "[" + i + "]", "must not contain NUL characters");
      }
    }
  }
}
