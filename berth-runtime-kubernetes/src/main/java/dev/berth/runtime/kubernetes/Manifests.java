package dev.berth.runtime.kubernetes;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Lifecycle;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.app.QosClass;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Scheduling;
import dev.berth.core.app.Security;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.RunWorkload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects Berth wants for an app or a run: a pure function of the workload, no I/O.
 * Applying them is {@link KubernetesRuntime}'s job. Each object carries {@link
 * Labels#APPLIED_HASH}, a hash of everything else in it, so that an unchanged object is never
 * written again.
 *
 * <p>An app is a headless {@code Service} plus a {@code StatefulSet} ({@code podManagementPolicy:
 * Parallel}) whose pod template is the update revision's spec; {@code rollingUpdate.partition}
 * keeps ordinals below it on the current revision (instances chosen to go first change the update
 * strategy: {@link UpdateStrategies}). With OpenKruise the StatefulSet is an Advanced StatefulSet
 * ({@code apps.kruise.io/v1beta1}) with {@code reserveOrdinals}; without, it has as many replicas
 * as the highest wanted ordinal + 1, so reserved ordinals come back.
 */
public final class Manifests {
  /** The container name of every app pod and run pod. */
  public static final String APP_CONTAINER = "app";

  public static final String RUN_CONTAINER = "run";
  public static final String KRUISE_API_VERSION = "apps.kruise.io/v1beta1";

  private Manifests() {}

  /**
   * Where and how an app's objects are made; {@code tolerateUnreachable} is how long its pods stay
   * on a node that is unreachable or not ready before Kubernetes evicts them ({@link
   * Placement#DEFAULT_TOLERATE_UNREACHABLE} when null); {@code pool} is the definition of the pool
   * {@code scheduling} names (null: none, or one that is gone).
   */
  public record Target(
      String namespace,
      boolean kruise,
      Scheduling scheduling,
      Duration tolerateUnreachable,
      PoolDirectory.Definition pool) {
    public Target {
      scheduling = scheduling == null ? Scheduling.NONE : scheduling;
      tolerateUnreachable =
          tolerateUnreachable == null
              ? Placement.DEFAULT_TOLERATE_UNREACHABLE
              : tolerateUnreachable;
    }

    public Target(
        String namespace, boolean kruise, Scheduling scheduling, Duration tolerateUnreachable) {
      this(namespace, kruise, scheduling, tolerateUnreachable, null);
    }

    public Target(String namespace, boolean kruise, Scheduling scheduling) {
      this(namespace, kruise, scheduling, null, null);
    }
  }

  /**
   * The Service and the StatefulSet of {@code w}, in that order (the order they are applied in).
   */
  public static List<HasMetadata> forApp(AppWorkload w, Target target) {
    return List.of(service(w, target.namespace()), statefulSet(w, target));
  }

  /**
   * The headless Service that gives the app's serving pods their DNS names: {@code <app>} (every
   * ready, online pod) and {@code <app>-<n>.<app>} (one pod). It selects only pods labelled {@code
   * berth.dev/traffic: on} and publishes only ready ones, so an unready or offline pod has no name.
   */
  public static Service service(AppWorkload w, String namespace) {
    List<ServicePort> ports = new ArrayList<>();
    for (PortSpec p : w.updateSpec().ports()) {
      ports.add(
          new ServicePortBuilder()
              .withName(p.name())
              .withPort(p.port())
              .withTargetPort(new IntOrString(p.port()))
              .withProtocol(protocol(p))
              .build());
    }
    Service s =
        new ServiceBuilder()
            .withMetadata(meta(w.app(), namespace, Labels.app(w.app()), Map.of()))
            .withNewSpec()
            .withClusterIP("None")
            .withSelector(Labels.serving(w.app()))
            .withPublishNotReadyAddresses(false)
            .withPorts(ports)
            .endSpec()
            .build();
    return hashed(s);
  }

  /** The StatefulSet (or Advanced StatefulSet with OpenKruise) of {@code w}. */
  public static HasMetadata statefulSet(AppWorkload w, Target target) {
    AppSpec spec = w.updateSpec();
    Map<String, String> podLabels = Labels.app(w.app());
    podLabels.put(Labels.REVISION, Long.toString(w.updateRevision()));
    podLabels.put(Labels.TRAFFIC, Labels.TRAFFIC_ON);
    podLabels.put(Labels.QOS, spec.resources().qosClass().id());
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(Labels.REVISION, Long.toString(w.updateRevision()));
    annotations.put(Labels.CURRENT_REVISION, Long.toString(w.currentRevision()));
    List<Integer> ordinals = w.ordinals();
    int replicas =
        target.kruise() ? w.instances() : (ordinals.isEmpty() ? 0 : ordinals.getLast() + 1);
    StatefulSet sts =
        new StatefulSetBuilder()
            .withMetadata(meta(w.app(), target.namespace(), Labels.app(w.app()), annotations))
            .withNewSpec()
            .withServiceName(w.app())
            .withPodManagementPolicy("Parallel")
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(Labels.selector(w.app()))
            .endSelector()
            .withUpdateStrategy(UpdateStrategies.plain(w))
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .endMetadata()
            .withNewSpec()
            .withContainers(appContainer(spec))
            .withSecurityContext(podSecurity())
            .withAutomountServiceAccountToken(false)
            .withTerminationGracePeriodSeconds((long) spec.lifecycle().stopTimeoutSeconds())
            .withShareProcessNamespace(spec.lifecycle().usesInit() ? Boolean.TRUE : null)
            .withEnableServiceLinks(false)
            .withNodeSelector(
                Placement.nodeSelector(target.scheduling().nodeLabels(), target.pool()))
            .withTolerations(Placement.tolerations(target.pool(), target.tolerateUnreachable()))
            .withAffinity(Placement.affinity(w.app(), target.scheduling()))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    if (!target.kruise()) {
      return hashed(sts);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Serialization.jsonMapper().convertValue(sts, LinkedHashMap.class);
    map.put("apiVersion", KRUISE_API_VERSION);
    @SuppressWarnings("unchecked")
    Map<String, Object> specMap = (Map<String, Object>) map.get("spec");
    specMap.put("reserveOrdinals", List.copyOf(new java.util.TreeSet<>(w.reservedOrdinals())));
    if (UpdateStrategies.mode(w, true) == UpdateStrategies.Mode.KRUISE_PRIORITY) {
      specMap.put("updateStrategy", UpdateStrategies.kruise(w));
    }
    return hashed(Serialization.jsonMapper().convertValue(map, GenericKubernetesResource.class));
  }

  /**
   * The Job of one task run: {@code backoffLimit} = retries, {@code activeDeadlineSeconds} =
   * timeout.
   */
  public static Job forRun(RunWorkload run, String namespace) {
    return forRun(run, namespace, null);
  }

  /**
   * The Job of one task run, its pod placed as an app's would be: on the nodes of {@code pool} (the
   * definition of the pool the run's spec names; null: none) carrying the spec's node labels,
   * tolerating the pool's taint.
   */
  public static Job forRun(RunWorkload run, String namespace, PoolDirectory.Definition pool) {
    List<io.fabric8.kubernetes.api.model.Toleration> tolerations = Placement.poolTolerations(pool);
    Map<String, String> labels = new TreeMap<>();
    labels.put(Labels.MANAGED_BY, Labels.BERTH);
    labels.put(Labels.RUN, run.runId());
    labels.put(Labels.TASK, run.task());
    Map<String, String> podLabels = new TreeMap<>(labels);
    podLabels.put(Labels.QOS, run.spec().resources().qosClass().id());
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(Labels.KEEP_ON_FAILURE, Boolean.toString(run.keepOnFailure()));
    Container c =
        new ContainerBuilder()
            .withName(RUN_CONTAINER)
            .withImage(run.spec().image())
            .withCommand(run.spec().command().isEmpty() ? null : run.spec().command())
            .withArgs(run.spec().args().isEmpty() ? null : run.spec().args())
            .withEnv(env(run.spec().env()))
            .withResources(resources(run.spec().resources()))
            .withSecurityContext(containerSecurity())
            .build();
    Job job =
        new JobBuilder()
            .withMetadata(meta(run.runId(), namespace, labels, annotations))
            .withNewSpec()
            .withBackoffLimit(Math.max(0, run.retries()))
            .withActiveDeadlineSeconds(
                run.timeout() == null || run.timeout().isZero()
                    ? null
                    : Math.max(1, run.timeout().toSeconds()))
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withSecurityContext(podSecurity())
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withTerminationGracePeriodSeconds(
                run.grace() == null ? null : Math.max(0, run.grace().toSeconds()))
            .withContainers(c)
            .withNodeSelector(Placement.nodeSelector(run.spec().scheduling().nodeLabels(), pool))
            .withTolerations(tolerations.isEmpty() ? null : tolerations)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    return hashed(job);
  }

  /** Objects as one multi-document YAML stream, in order. */
  public static String yaml(List<? extends HasMetadata> objects) {
    StringBuilder b = new StringBuilder();
    for (HasMetadata o : objects) {
      String doc = Serialization.asYaml(o);
      b.append(doc.startsWith("---") ? doc : "---\n" + doc);
      if (!doc.endsWith("\n")) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  static Container appContainer(AppSpec spec) {
    List<ContainerPort> ports = new ArrayList<>();
    for (PortSpec p : spec.ports()) {
      ports.add(new ContainerPort(p.port(), null, null, p.name(), protocol(p)));
    }
    Lifecycle l = spec.lifecycle();
    var lifecycle =
        l.preStop().isEmpty() && l.postStart().isEmpty()
            ? null
            : new LifecycleBuilder()
                .withPreStop(hook(l.preStop()))
                .withPostStart(hook(l.postStart()))
                .build();
    return new ContainerBuilder()
        .withName(APP_CONTAINER)
        .withImage(spec.image())
        .withCommand(spec.command().isEmpty() ? null : spec.command())
        .withArgs(spec.args().isEmpty() ? null : spec.args())
        .withEnv(env(spec.env()))
        .withPorts(ports)
        .withResources(resources(spec.resources()))
        .withLivenessProbe(probe(spec.health().liveness(), spec, true))
        .withReadinessProbe(probe(spec.health().readiness(), spec, false))
        .withLifecycle(lifecycle)
        .withSecurityContext(containerSecurity(spec.security()))
        .build();
  }

  /**
   * Berth's containers start without privileges, as on the local runtime: never privileged, no
   * privilege escalation (no-new-privileges), the runtime's default capabilities. That meets the
   * Pod Security Standards' "baseline" profile.
   */
  static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .build();
  }

  /**
   * With the "restricted" profile also: every capability dropped, and a non-root user ({@code
   * runAsNonRoot}; {@code runAsUser} when the spec names one, else the kubelet refuses an image
   * whose user is root).
   */
  static SecurityContext containerSecurity(Security security) {
    if (!security.restricted()) {
      return containerSecurity();
    }
    return new SecurityContextBuilder()
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withRunAsUser(security.runAsUser())
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * The container runtime's default seccomp profile for every pod (Kubernetes defaults to none).
   */
  static PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * The QoS class ({@link Resources#qosClass()}) decides: {@code best-effort} has no requests and
   * no limits; {@code guaranteed} has requests = limits for CPU (the guarantee, else the maximum)
   * and memory; {@code burstable} has guaranteed CPU → requests, maximum CPU → limits, memory →
   * requests = limits. A cpuset becomes whole CPUs with requests = limits (Guaranteed, so the
   * static CPU manager pins them).
   */
  static ResourceRequirements resources(Resources r) {
    QosClass qos = r.qosClass();
    if (qos == QosClass.BEST_EFFORT) {
      return new ResourceRequirementsBuilder().build();
    }
    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, Quantity> limits = new TreeMap<>();
    Quantity memory = new Quantity(r.memoryMiB() + "Mi");
    requests.put("memory", memory);
    limits.put("memory", memory);
    if (r.cpuPolicy() == CpuPolicy.CPUSET) {
      Quantity cpus = new Quantity(Integer.toString(r.dedicatedCpus()));
      requests.put("cpu", cpus);
      limits.put("cpu", cpus);
    } else if (qos == QosClass.GUARANTEED) {
      double cores =
          r.cpu() > 0 ? r.cpu() : r.cpuLimit() > 0 ? r.cpuLimit() : Resources.DEFAULT.cpu();
      requests.put("cpu", cpu(cores));
      limits.put("cpu", cpu(cores));
    } else {
      if (r.cpu() > 0) {
        requests.put("cpu", cpu(r.cpu()));
      }
      if (r.cpuLimit() > 0) {
        limits.put("cpu", cpu(r.cpuLimit()));
      }
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  static Quantity cpu(double cores) {
    long milli = Math.max(1, Math.round(cores * 1000));
    return new Quantity(milli % 1000 == 0 ? Long.toString(milli / 1000) : milli + "m");
  }

  static io.fabric8.kubernetes.api.model.Probe probe(Probe p, AppSpec spec, boolean liveness) {
    if (p == null) {
      return null;
    }
    var b =
        new io.fabric8.kubernetes.api.model.ProbeBuilder()
            .withInitialDelaySeconds(p.initialDelaySeconds())
            .withPeriodSeconds(p.periodSeconds())
            .withTimeoutSeconds(p.timeoutSeconds())
            .withFailureThreshold(p.failureThreshold())
            // Kubernetes insists on 1 for liveness.
            .withSuccessThreshold(liveness ? 1 : p.successThreshold());
    switch (p.type()) {
      case TCP -> b.withNewTcpSocket().withPort(new IntOrString(port(p, spec))).endTcpSocket();
      case HTTP ->
          b.withNewHttpGet()
              .withPath(p.path())
              .withPort(new IntOrString(port(p, spec)))
              .withScheme("HTTP")
              .endHttpGet();
      case CMD -> b.withNewExec().withCommand(p.command()).endExec();
    }
    return b.build();
  }

  private static int port(Probe p, AppSpec spec) {
    if (p.port() != null) {
      return p.port();
    }
    if (spec.ports().isEmpty()) {
      throw new IllegalArgumentException(
          "a " + p.type() + " probe needs a port and the app declares none");
    }
    return spec.ports().getFirst().port();
  }

  private static LifecycleHandler hook(List<String> command) {
    return command.isEmpty()
        ? null
        : new LifecycleHandlerBuilder().withNewExec().withCommand(command).endExec().build();
  }

  private static List<EnvVar> env(Map<String, String> env) {
    List<EnvVar> out = new ArrayList<>(env.size());
    new TreeMap<>(env).forEach((k, v) -> out.add(new EnvVar(k, v, null)));
    return out;
  }

  private static String protocol(PortSpec p) {
    return p.protocol().toUpperCase(Locale.ROOT);
  }

  private static ObjectMeta meta(
      String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(new TreeMap<>(labels))
        .withAnnotations(new TreeMap<>(annotations))
        .build();
  }

  /** Stamps {@link Labels#APPLIED_HASH}: SHA-256 of the object's JSON without that annotation. */
  static <T extends HasMetadata> T hashed(T o) {
    Map<String, String> annotations =
        new TreeMap<>(
            o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations());
    annotations.remove(Labels.APPLIED_HASH);
    o.getMetadata().setAnnotations(annotations);
    String hash = sha256(Serialization.asJson(o));
    annotations.put(Labels.APPLIED_HASH, hash);
    o.getMetadata().setAnnotations(annotations);
    return o;
  }

  /** The hash Berth stamped on {@code o}, or null. */
  public static String hashOf(HasMetadata o) {
    return o == null || o.getMetadata().getAnnotations() == null
        ? null
        : o.getMetadata().getAnnotations().get(Labels.APPLIED_HASH);
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
