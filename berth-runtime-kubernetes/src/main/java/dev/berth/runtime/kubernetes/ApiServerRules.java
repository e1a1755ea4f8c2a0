package dev.berth.runtime.kubernetes;

import dev.berth.core.support.KubernetesRules;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The API server's rules for the fields of the objects Berth writes, checked on the object itself
 * before it is sent: names per kind, labels, annotation size, container and port names. Core
 * refuses app and task specs that would break them, so a problem found here is a bug in that
 * validation; writing stops with the problem named instead of a 422 from the cluster. Pure.
 */
final class ApiServerRules {
  /**
   * The StatefulSet controller labels each pod {@code controller-revision-hash: <name>-<hash>} (a
   * hash of up to 10 characters), a label value of at most 63 characters.
   */
  static final int STATEFULSET_NAME_MAX = 52;

  private ApiServerRules() {}

  /**
   * Every rule {@code o} breaks, as "field: problem"; empty when the API server would accept it.
   */
  static List<String> problems(HasMetadata o) {
    List<String> out = new ArrayList<>();
    String name = o.getMetadata().getName();
    metadata(o.getMetadata().getLabels(), o.getMetadata().getAnnotations(), "metadata", out);
    switch (o) {
      case Service s -> {
        check(KubernetesRules.dns1035Label(name), "metadata.name", out);
        servicePorts(s.getSpec().getPorts(), out);
        labels(s.getSpec().getSelector(), "spec.selector", out);
      }
      case StatefulSet s -> {
        check(KubernetesRules.dns1123Subdomain(name), "metadata.name", out);
        if (name.length() > STATEFULSET_NAME_MAX) {
          out.add(
              "metadata.name: must be no more than "
                  + STATEFULSET_NAME_MAX
                  + " characters (the pods' controller-revision-hash label)");
        }
        podTemplate(s.getSpec().getTemplate(), out);
        updateStrategy(s.getSpec().getUpdateStrategy(), out);
      }
      case io.fabric8.kubernetes.api.model.GenericKubernetesResource g
          when Manifests.KRUISE_API_VERSION.equals(g.getApiVersion()) -> {
        check(KubernetesRules.dns1123Subdomain(name), "metadata.name", out);
        KruiseRules.updateStrategy(g, out);
      }
      case Job j -> {
        check(KubernetesRules.dns1123Subdomain(name), "metadata.name", out);
        // The job controller labels its pods job-name: <name>, a label value.
        check(KubernetesRules.labelValue(name), "metadata.name", out);
        podTemplate(j.getSpec().getTemplate(), out);
      }
      default -> check(KubernetesRules.dns1123Subdomain(name), "metadata.name", out);
    }
    return out;
  }

  private static void podTemplate(PodTemplateSpec t, List<String> out) {
    metadata(
        t.getMetadata().getLabels(),
        t.getMetadata().getAnnotations(),
        "spec.template.metadata",
        out);
    var spec = t.getSpec();
    labels(spec.getNodeSelector(), "spec.template.spec.nodeSelector", out);
    for (int i = 0; i < spec.getContainers().size(); i++) {
      Container c = spec.getContainers().get(i);
      String f = "spec.template.spec.containers[" + i + "]";
      check(KubernetesRules.dns1123Label(c.getName()), f + ".name", out);
      for (var e : c.getEnv()) {
        check(KubernetesRules.envVarName(e.getName()), f + ".env[" + e.getName() + "].name", out);
      }
      List<ContainerPort> ports = c.getPorts();
      for (int p = 0; p < ports.size(); p++) {
        ContainerPort port = ports.get(p);
        check(
            KubernetesRules.portNumber(port.getContainerPort()),
            f + ".ports[" + p + "].containerPort",
            out);
        if (port.getName() != null) {
          check(KubernetesRules.portName(port.getName()), f + ".ports[" + p + "].name", out);
        }
      }
      var probe = c.getLivenessProbe();
      if (probe != null
          && probe.getSuccessThreshold() != null
          && probe.getSuccessThreshold() != 1) {
        out.add(f + ".livenessProbe.successThreshold: must be 1");
      }
    }
  }

  /**
   * The apps/v1 validation of {@code spec.updateStrategy}: a known type, {@code rollingUpdate} only
   * with {@code RollingUpdate}, a partition that is not negative.
   */
  private static void updateStrategy(
      io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy s, List<String> out) {
    String at = "spec.updateStrategy";
    if (s == null || s.getType() == null) {
      return; // defaulted to RollingUpdate
    }
    switch (s.getType()) {
      case "OnDelete" -> {
        if (s.getRollingUpdate() != null) {
          out.add(at + ".rollingUpdate: only allowed for updateStrategy 'RollingUpdate'");
        }
      }
      case "RollingUpdate" -> {
        Integer partition =
            s.getRollingUpdate() == null ? null : s.getRollingUpdate().getPartition();
        if (partition != null && partition < 0) {
          out.add(at + ".rollingUpdate.partition: must be greater than or equal to 0");
        }
      }
      default -> out.add(at + ".type: must be 'RollingUpdate' or 'OnDelete'");
    }
  }

  private static void servicePorts(List<ServicePort> ports, List<String> out) {
    for (int i = 0; i < ports.size(); i++) {
      ServicePort p = ports.get(i);
      check(KubernetesRules.portNumber(p.getPort()), "spec.ports[" + i + "].port", out);
      if (p.getName() == null || p.getName().isEmpty()) {
        if (ports.size() > 1) {
          out.add(
              "spec.ports["
                  + i
                  + "].name: Required value (a Service with several ports names each)");
        }
      } else {
        check(KubernetesRules.portName(p.getName()), "spec.ports[" + i + "].name", out);
      }
    }
  }

  private static void metadata(
      Map<String, String> labels, Map<String, String> annotations, String at, List<String> out) {
    labels(labels, at + ".labels", out);
    if (annotations != null) {
      long bytes = 0;
      for (var e : annotations.entrySet()) {
        check(
            KubernetesRules.qualifiedName(e.getKey()),
            at + ".annotations[" + e.getKey() + "]",
            out);
        bytes +=
            e.getKey().getBytes(StandardCharsets.UTF_8).length
                + e.getValue().getBytes(StandardCharsets.UTF_8).length;
      }
      if (bytes > KubernetesRules.ANNOTATIONS_MAX_BYTES) {
        out.add(
            at
                + ".annotations: Too long: must have at most "
                + KubernetesRules.ANNOTATIONS_MAX_BYTES
                + " bytes");
      }
    }
  }

  private static void labels(Map<String, String> labels, String at, List<String> out) {
    if (labels == null) {
      return;
    }
    labels.forEach(
        (k, v) -> {
          check(KubernetesRules.qualifiedName(k), at + "[" + k + "]", out);
          check(KubernetesRules.labelValue(v), at + "[" + k + "]", out);
        });
  }

  private static void check(List<String> problems, String field, List<String> out) {
    problems.forEach(p -> out.add(field + ": " + p));
  }

  /** Runs {@link #problems} and throws when there are any, naming the object and each field. */
  static <T extends HasMetadata> T require(T o, Function<String, RuntimeException> failure) {
    List<String> problems = problems(o);
    if (!problems.isEmpty()) {
      throw failure.apply(
          o.getKind()
              + " "
              + o.getMetadata().getName()
              + " would be refused by the API server: "
              + String.join("; ", problems));
    }
    return o;
  }
}
