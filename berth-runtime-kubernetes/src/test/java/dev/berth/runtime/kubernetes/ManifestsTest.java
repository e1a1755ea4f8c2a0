package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Health;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.app.Resources;
import dev.berth.core.app.Scheduling;
import dev.berth.core.runtime.AppWorkload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure mapping from workloads to Kubernetes objects, no API server. */
class ManifestsTest {
  private static final Manifests.Target TARGET = new Manifests.Target("apps", false, null);

  @Test
  void mapsAnAppUsingEverySpecFieldExactly() throws IOException {
    AppWorkload w =
        new AppWorkload(
            "web",
            3,
            Set.of(),
            1,
            Specs.minimal("registry.example/demo/web:1"),
            2,
            Specs.full(),
            2);
    String yaml = Manifests.yaml(Manifests.forApp(w, TARGET));
    if (Boolean.getBoolean("berth.writeGolden")) {
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("src/test/resources/web-full.yaml"), yaml);
    }
    try (InputStream in = getClass().getResourceAsStream("/web-full.yaml")) {
      assertThat(yaml).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void pinsEachMappingRule() {
    AppWorkload w =
        new AppWorkload("web", 3, Set.of(), 1, Specs.minimal("img:1"), 2, Specs.full(), 2);
    StatefulSet sts = (StatefulSet) Manifests.statefulSet(w, TARGET);
    var spec = sts.getSpec();
    assertThat(spec.getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(spec.getServiceName()).isEqualTo("web");
    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getUpdateStrategy().getRollingUpdate().getPartition()).isEqualTo(2);
    assertThat(sts.getMetadata().getAnnotations())
        .containsEntry(Labels.REVISION, "2")
        .containsEntry(Labels.CURRENT_REVISION, "1");
    assertThat(sts.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "berth");
    var pod = spec.getTemplate().getSpec();
    assertThat(spec.getTemplate().getMetadata().getLabels())
        .containsEntry(Labels.REVISION, "2")
        .containsEntry(Labels.APP, "web");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    assertThat(pod.getShareProcessNamespace()).isTrue();
    var c = pod.getContainers().getFirst();
    assertThat(c.getCommand()).containsExactly("httpd");
    assertThat(c.getArgs()).containsExactly("-f", "-p", "8080");
    assertThat(c.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("A_FIRST=1", "MODE=demo");
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort() + "/" + p.getProtocol())
        .containsExactly("http:8080/TCP", "metrics:9090/TCP");
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(c.getResources().getLimits())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(c.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
    assertThat(c.getLivenessProbe().getFailureThreshold()).isEqualTo(4);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal())
        .as("defaults to the first port")
        .isEqualTo(8080);
    assertThat(c.getReadinessProbe().getSuccessThreshold()).isEqualTo(2);
    assertThat(c.getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sh", "-c", "sleep 2");
    assertThat(c.getLifecycle().getPostStart().getExec().getCommand())
        .containsExactly("sh", "-c", "echo started");
    var svc = Manifests.service(w, "apps");
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getSelector())
        .isEqualTo(Map.of(Labels.APP, "web", Labels.TRAFFIC, Labels.TRAFFIC_ON));
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isFalse();
  }

  @Test
  void givesCpusetAppsWholeCpusWithRequestsEqualToLimits() {
    var r = Manifests.resources(new Resources(1.5, 0, 256, CpuPolicy.CPUSET, 0));
    assertThat(r.getRequests()).isEqualTo(r.getLimits());
    assertThat(r.getLimits())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("256Mi"));
  }

  @Test
  void mapsCommandProbesToExec() {
    AppSpec s =
        new AppSpec(
            "img",
            null,
            null,
            null,
            null,
            null,
            new Health(
                null, new Probe(ProbeType.CMD, null, null, List.of("cat", "/ok"), 0, 0, 0, 0, 0)),
            null);
    var c = Manifests.appContainer(s);
    assertThat(c.getReadinessProbe().getExec().getCommand()).containsExactly("cat", "/ok");
    assertThat(c.getLivenessProbe()).isNull();
  }

  @Test
  void keepsReservedOrdinalsAsReplicasWithoutKruiseAndAsReserveOrdinalsWithIt() {
    AppWorkload w = AppWorkload.settled("web", 2, Set.of(1), 1, Specs.minimal("img"));
    assertThat(((StatefulSet) Manifests.statefulSet(w, TARGET)).getSpec().getReplicas())
        .as("ordinals 0 and 2 need 3 replicas")
        .isEqualTo(3);
    HasMetadata kruise = Manifests.statefulSet(w, new Manifests.Target("apps", true, null));
    assertThat(kruise.getApiVersion()).isEqualTo("apps.kruise.io/v1beta1");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>)
            ((GenericKubernetesResource) kruise).getAdditionalProperties().get("spec");
    assertThat(spec)
        .containsEntry("replicas", 2)
        .containsEntry("reserveOrdinals", List.of(1))
        .containsEntry("podManagementPolicy", "Parallel");
  }

  @Test
  void mapsSchedulingToSelectorsTolerationsAndAffinity() {
    Scheduling s =
        new Scheduling(
            "gpu",
            Map.of("arch", "amd64"),
            Map.of("disk", "ssd"),
            Scheduling.Spread.STRICT,
            List.of(
                new Scheduling.AppAffinity("cache", false, false),
                new Scheduling.AppAffinity("batch", true, true)));
    var pod =
        ((StatefulSet)
                Manifests.statefulSet(
                    Specs.settled("web", 2, Specs.minimal("img")),
                    new Manifests.Target(
                        "apps",
                        false,
                        s,
                        null,
                        new dev.berth.core.node.PoolDirectory.Definition(
                            Map.of("accelerator", "a100"),
                            new dev.berth.core.node.NodeInfo.Taint(
                                Labels.POOL, "gpu", "NoSchedule")))))
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getNodeSelector()).isEqualTo(Map.of("arch", "amd64", "accelerator", "a100"));
    assertThat(pod.getTolerations().getFirst())
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo(Labels.POOL);
              assertThat(t.getValue()).isEqualTo("gpu");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    var pref =
        pod.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(pref)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getPreference().getMatchExpressions().getFirst().getValues())
                    .containsExactly("ssd"));
    var anti =
        pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    assertThat(anti)
        .extracting(
            t -> t.getLabelSelector().getMatchLabels().get(Labels.APP) + "@" + t.getTopologyKey())
        .containsExactly("web@kubernetes.io/hostname", "batch@kubernetes.io/hostname");
    assertThat(
            pod.getAffinity().getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    Scheduling preferred = new Scheduling(null, null, null, Scheduling.Spread.PREFERRED, null);
    var p2 =
        ((StatefulSet)
                Manifests.statefulSet(
                    Specs.settled("web", 2, Specs.minimal("img")),
                    new Manifests.Target("apps", false, preferred)))
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(
            p2.getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    assertThat(p2.getTolerations()).noneMatch(t -> Labels.POOL.equals(t.getKey()));
  }

  @Test
  void mapsARunToAJobWithBackoffLimitAndDeadline() {
    Job job = Manifests.forRun(Specs.run("report-7", 2, Duration.ofSeconds(90), true), "apps");
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(90L);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(5L);
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Labels.RUN, "report-7")
        .containsEntry(Labels.MANAGED_BY, "berth");
    assertThat(job.getMetadata().getAnnotations()).containsEntry(Labels.KEEP_ON_FAILURE, "true");
  }

  @Test
  void startsAppsAndRunsWithoutPrivilegesAndWithTheRuntimesSeccompProfile() {
    StatefulSet sts =
        (StatefulSet)
            Manifests.forApp(
                    new AppWorkload(
                        "web",
                        1,
                        Set.of(),
                        1,
                        Specs.minimal("img:1"),
                        1,
                        Specs.minimal("img:1"),
                        1),
                    TARGET)
                .get(1);
    Job job = Manifests.forRun(Specs.run("report-7", 0, Duration.ofSeconds(90), false), "apps");
    for (PodSpec pod :
        List.of(sts.getSpec().getTemplate().getSpec(), job.getSpec().getTemplate().getSpec())) {
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      assertThat(pod.getHostNetwork()).isNull();
      assertThat(pod.getHostPID()).isNull();
      assertThat(pod.getVolumes()).isEmpty();
      Container c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getPrivileged()).isFalse();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities()).isNull();
    }
  }

  @Test
  void hashesTheSameWorkloadTheSameAndAChangedOneDifferently() {
    AppWorkload a = Specs.settled("web", 2, Specs.full());
    assertThat(Manifests.hashOf(Manifests.statefulSet(a, TARGET)))
        .isEqualTo(Manifests.hashOf(Manifests.statefulSet(a, TARGET)));
    AppWorkload b = Specs.settled("web", 3, Specs.full());
    assertThat(Manifests.hashOf(Manifests.statefulSet(b, TARGET)))
        .isNotEqualTo(Manifests.hashOf(Manifests.statefulSet(a, TARGET)));
  }
}
