package dev.berth.core.app;

import dev.berth.core.support.Errors;
import dev.berth.core.support.KubernetesRules;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules for what an instance runs with — ports, health checks, lifecycle, scheduling, security
 * and size — that mirror the Kubernetes API server's validation of the Service and StatefulSet
 * Berth makes from a spec. They hold on every cluster type (the local runtime too), so an app that
 * runs anywhere can move to a Kubernetes cluster. Pure.
 */
final class InstanceRules {
  /**
   * The strings of a spec (entry, environment, hooks) together; Kubernetes stores an object of at
   * most 1.5 MiB and the spec is in the StatefulSet's pod template.
   */
  static final int MAX_SPEC_BYTES = 1024 * 1024;

  /** The largest user id Kubernetes accepts for {@code runAsUser}. */
  static final long MAX_UID = Integer.MAX_VALUE;

  private InstanceRules() {}

  static void validate(AppSpec spec, Errors errors) {
    validatePorts(spec.ports(), errors);
    validateProbe(spec.health().liveness(), "health.liveness", true, errors);
    validateProbe(spec.health().readiness(), "health.readiness", false, errors);
    Lifecycle l = spec.lifecycle();
    errors.check(
        l.stopTimeoutSeconds() > 0 && l.stopTimeoutSeconds() <= 3600,
        "lifecycle.stopTimeoutSeconds",
        "must be between 1 and 3600, was " + l.stopTimeoutSeconds());
    AppValidator.checkCommand(l.preStop(), "lifecycle.preStop", errors);
    AppValidator.checkCommand(l.postStart(), "lifecycle.postStart", errors);
    validateScheduling(spec.scheduling(), errors);
    validateSecurity(spec.security(), errors);
    checkSize(bytes(spec.env(), spec.command(), spec.args(), l.preStop(), l.postStart()), errors);
  }

  /**
   * Port numbers unique, names IANA service names (Kubernetes' port-name rule), and a name on every
   * port when there are several: the app's Service lists them all and Kubernetes wants each named
   * then.
   */
  static void validatePorts(List<PortSpec> ports, Errors errors) {
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
        for (String problem : KubernetesRules.portName(p.name())) {
          errors.add(
              f + ".name",
              problem
                  + ", was '"
                  + p.name()
                  + "' (a port name is an IANA service name such as 'http' or 'metrics-2')");
        }
        if (!names.add(p.name())) {
          errors.add(f + ".name", "name '" + p.name() + "' is used twice");
        }
      } else if (ports.size() > 1) {
        errors.add(
            f + ".name",
            "is required when an app has several ports (Kubernetes names each port of a Service), e.g. 'http'");
      }
      errors.check(
          p.protocol().equals("tcp") || p.protocol().equals("udp"),
          f + ".protocol",
          "must be 'tcp' or 'udp', was '" + p.protocol() + "'");
    }
  }

  static void validateProbe(Probe p, String f, boolean liveness, Errors errors) {
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
          errors.add(
              f + ".port",
              "must be between 1 and 65535 for a " + p.type() + " check, was " + p.port());
        }
        if (p.type() == ProbeType.HTTP && !p.path().startsWith("/")) {
          errors.add(f + ".path", "must start with '/', was '" + p.path() + "'");
        }
      }
      case CMD -> {
        if (p.command().isEmpty()) {
          errors.add(f + ".command", "is required for a cmd check, e.g. [\"cat\", \"/tmp/ready\"]");
        }
        AppValidator.checkCommand(p.command(), f + ".command", errors);
      }
    }
    if (liveness && p.successThreshold() != 1) {
      errors.add(
          f + ".successThreshold",
          "must be 1 for a liveness check (Kubernetes allows no other value), was "
              + p.successThreshold());
    }
    errors.check(
        p.periodSeconds() <= 3600,
        f + ".periodSeconds",
        "must be <= 3600, was " + p.periodSeconds());
    errors.check(
        p.timeoutSeconds() <= 600,
        f + ".timeoutSeconds",
        "must be <= 600, was " + p.timeoutSeconds());
    errors.check(
        p.initialDelaySeconds() <= 3600,
        f + ".initialDelaySeconds",
        "must be <= 3600, was " + p.initialDelaySeconds());
  }

  /**
   * Pools, node labels and preferences become node selectors and affinity terms: label keys and
   * values.
   */
  static void validateScheduling(Scheduling s, Errors errors) {
    if (s.pool() != null && !s.pool().isEmpty()) {
      errors.dnsLabel(s.pool(), "scheduling.pool", KubernetesRules.LABEL_MAX);
    }
    labels(s.nodeLabels(), "scheduling.nodeLabels", errors);
    labels(s.prefer(), "scheduling.prefer", errors);
    for (int i = 0; i < s.affinity().size(); i++) {
      Scheduling.AppAffinity a = s.affinity().get(i);
      errors.dnsLabel(
          a == null ? null : a.app(), "scheduling.affinity[" + i + "].app", AppValidator.MAX_NAME);
    }
  }

  private static void labels(Map<String, String> labels, String field, Errors errors) {
    labels.forEach(
        (k, v) -> {
          for (String problem : KubernetesRules.qualifiedName(k)) {
            errors.add(
                field + "." + k,
                "is not a valid label key: " + problem + " (e.g. 'disk' or 'example.com/disk')");
          }
          if (v == null) {
            errors.add(field + "." + k, "must have a value (use \"\" for empty)");
          } else {
            for (String problem : KubernetesRules.labelValue(v)) {
              errors.add(
                  field + "." + k, "is not a valid label value: " + problem + ", was '" + v + "'");
            }
          }
        });
  }

  /** {@code runAsUser} as Kubernetes takes it; {@code restricted} forbids root. */
  static void validateSecurity(Security s, Errors errors) {
    if (s.runAsUser() == null) {
      return;
    }
    if (s.runAsUser() < 0 || s.runAsUser() > MAX_UID) {
      errors.add(
          "security.runAsUser", "must be between 0 and " + MAX_UID + ", was " + s.runAsUser());
    } else if (s.restricted() && s.runAsUser() == 0) {
      errors.add(
          "security.runAsUser",
          "must not be 0 with profile 'restricted': that profile runs as a non-root user;"
              + " give the image's user id (e.g. 1000) or leave it out to use the image's user");
    }
  }

  /** Refuses a spec whose strings could not fit in one stored Kubernetes object. */
  static void checkSize(long bytes, Errors errors) {
    if (bytes > MAX_SPEC_BYTES) {
      errors.add(
          "env",
          "the environment, command and hooks together must stay under "
              + MAX_SPEC_BYTES
              + " bytes (Kubernetes stores an object of at most 1.5 MiB), were "
              + bytes
              + "; put large data in an image or a volume");
    }
  }

  /** UTF-8 bytes of an environment and some argument lists together. */
  @SafeVarargs
  static long bytes(Map<String, String> env, List<String>... lists) {
    long n = 0;
    for (var e : env.entrySet()) {
      n += utf8(e.getKey()) + utf8(e.getValue());
    }
    for (List<String> l : lists) {
      for (String s : l) {
        n += utf8(s);
      }
    }
    return n;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
