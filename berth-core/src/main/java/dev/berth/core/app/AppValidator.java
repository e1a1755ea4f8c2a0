package dev.berth.core.app;

import dev.berth.core.support.Errors;
import dev.berth.core.support.KubernetesRules;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an application's name, spec and instance count; every problem is reported with its field.
 */
public final class AppValidator {
  /**
   * The app's Service and StatefulSet carry its name. The StatefulSet controller labels every pod
   * with {@code controller-revision-hash: <name>-<hash of up to 10 characters>}, a label value of
   * at most 63 characters, so names stay at or below 52; pod hostnames {@code <name>-<ordinal>}
   * must stay DNS labels of at most 63 characters; 50 leaves room for both.
   */
  public static final int MAX_NAME = 50;

  public static final int MAX_INSTANCES = 1000;

  /** Stricter than Kubernetes' rule (no leading '-' or '.'), so every name works in a shell too. */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private static final Pattern IMAGE = Pattern.compile("[^\\s\\x00-\\x1f]{1,512}");

  private AppValidator() {}

  /** A DNS-1035 label of at most {@link #MAX_NAME}: the name of the app's Kubernetes Service. */
  public static void validateName(String name, Errors errors) {
    errors.dnsLabel(name, "name", MAX_NAME);
    if (name != null
        && !name.isEmpty()
        && name.length() <= MAX_NAME
        && !KubernetesRules.dns1035Label(name).isEmpty()
        && KubernetesRules.dns1123Label(name).isEmpty()) {
      errors.add(
          "name",
          "must start with a letter (e.g. 'web-"
              + name
              + "'): the app's Kubernetes Service is named after it"
              + " and Kubernetes wants a DNS-1035 label");
    }
  }

  /** The instance count of a scale request: required, and in range. */
  public static void validateInstances(Integer instances, Errors errors) {
    if (instances == null) {
      return;
    }
    errors.check(instances >= 0, "instances", "must be >= 0, was " + instances);
    errors.check(
        instances <= MAX_INSTANCES,
        "instances",
        "must be <= " + MAX_INSTANCES + ", was " + instances);
  }

  /**
   * Every rule a spec must meet to run on any cluster type: Berth's own limits and the Kubernetes
   * API server's rules for the objects made from it ({@link InstanceRules}), so that an app can
   * move from the local runtime to Kubernetes and no object Berth writes is ever refused.
   */
  public static void validateSpec(AppSpec spec, Errors errors) {
    validateImage(spec.image(), errors);
    validateEnv(spec.env(), errors);
    validateResources(spec.resources(), errors);
    checkCommand(spec.command(), "command", errors);
    checkCommand(spec.args(), "args", errors);
    InstanceRules.validate(spec, errors);
    Route.validate(spec.routes(), spec.ports(), errors);
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
            errors.add(
                "env." + k,
                "is not a valid variable name: use letters, digits, '_', '.', '-', not starting with a digit");
          }
          if (v == null) {
            errors.add("env." + k, "must have a value (use \"\" for empty)");
          } else if (v.indexOf('\0') >= 0) {
            errors.add("env." + k, "must not contain NUL characters");
          }
        });
  }

  private static void validateResources(Resources r, Errors errors) {
    validateResources(r, "resources", errors);
  }

  /** Checks resources under the JSON path {@code prefix} (e.g. {@code resources}). */
  public static void validateResources(Resources r, String prefix, Errors errors) {
    errors.check(
        r.cpu() >= 0 && r.cpu() <= 256,
        prefix + ".cpu",
        "must be between 0 and 256 cores, was " + r.cpu());
    errors.check(
        r.cpuLimit() >= 0 && r.cpuLimit() <= 256,
        prefix + ".cpuLimit",
        "must be between 0 (no limit) and 256 cores, was " + r.cpuLimit());
    if (r.cpuLimit() > 0 && r.cpuLimit() < r.cpu()) {
      errors.add(
          prefix + ".cpuLimit",
          "must be >= " + prefix + ".cpu (" + r.cpu() + ") or 0 for no limit, was " + r.cpuLimit());
    }
    errors.check(
        r.memoryMiB() >= 4 && r.memoryMiB() <= 1_048_576,
        prefix + ".memoryMiB",
        "must be between 4 and 1048576 MiB, was " + r.memoryMiB());
    errors.check(
        r.pids() >= 8 && r.pids() <= 1_000_000,
        prefix + ".pids",
        "must be between 8 and 1000000, was " + r.pids());
    checkMilliCpu(r.cpu(), prefix + ".cpu", errors);
    checkMilliCpu(r.cpuLimit(), prefix + ".cpuLimit", errors);
    if (r.cpuPolicy() == CpuPolicy.CPUSET && r.cpu() <= 0) {
      errors.add(
          prefix + ".cpu", "must be > 0 with cpuPolicy 'cpuset' (the number of dedicated CPUs)");
    }
    validateQos(r, prefix, errors);
  }

  /**
   * A chosen QoS class must be one the resources can honour on every runtime: {@code guaranteed}
   * needs a CPU guarantee and a CPU limit equal to it (Kubernetes derives the class from exactly
   * that), {@code best-effort} no CPU guarantee (a guarantee is what makes an instance burstable).
   */
  private static void validateQos(Resources r, String prefix, Errors errors) {
    if (r.qos() == QosClass.GUARANTEED && (r.cpu() <= 0 || r.cpuLimit() != r.cpu())) {
      errors.add(
          prefix + ".qos",
          "guaranteed needs "
              + prefix
              + ".cpu > 0 and "
              + prefix
              + ".cpuLimit equal to it (was cpu "
              + r.cpu()
              + ", cpuLimit "
              + r.cpuLimit()
              + "); set both to the same number of cores or choose burstable");
    }
    if (r.qos() == QosClass.BEST_EFFORT && (r.cpu() > 0 || r.cpuPolicy() == CpuPolicy.CPUSET)) {
      errors.add(
          prefix + ".qos",
          "best-effort guarantees no CPU: set "
              + prefix
              + ".cpu to 0 (was "
              + r.cpu()
              + ") with cpuPolicy 'shares', or choose burstable");
    }
  }

  /** Kubernetes' smallest CPU unit is 1m (0.001 core); a finer value would be rounded silently. */
  private static void checkMilliCpu(double cores, String field, Errors errors) {
    double milli = cores * 1000;
    if (Math.abs(milli - Math.rint(milli)) > 1e-6) {
      errors.add(
          field,
          "must be a multiple of 0.001 (1m, the smallest CPU unit Kubernetes knows), was " + cores);
    }
  }

  /** The environment and entry of a spec together must fit in one stored Kubernetes object. */
  public static void validateSize(
      Map<String, String> env, List<String> command, List<String> args, Errors errors) {
    InstanceRules.checkSize(InstanceRules.bytes(env, command, args), errors);
  }

  /**
   * The pool name and the label keys and values of {@code scheduling} (fields under {@code
   * scheduling.}), as for an app.
   */
  public static void validateScheduling(Scheduling scheduling, Errors errors) {
    InstanceRules.validateScheduling(scheduling, errors);
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
