package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.InstanceState;
import dev.berth.core.runtime.LogLine;
import dev.berth.core.runtime.LogQuery;
import dev.berth.core.runtime.LogStream;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.time.ManualScheduler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Applying apps against fabric8's mock API server: exact objects, no needless writes, ownership,
 * faults; reading pod logs with their times.
 */
class KubernetesRuntimeTest {
  static final String NS = "apps";
  static final Duration AT_MOST = Duration.ofSeconds(20);
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;
  final List<Observation> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
    runtime = runtime(api.clientWithoutRetries());
  }

  static KubernetesRuntime runtime(KubernetesClient c) {
    ManualScheduler clock = new ManualScheduler(Instant.parse("2025-01-01T00:00:00Z"));
    return new KubernetesRuntime(
        c,
        new KubernetesRuntime.Options(
            "k8s", NS, false, Duration.ofSeconds(1), 3, Duration.ofMillis(1)),
        clock);
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  @Test
  void appliesExactlyTheObjectsTheManifestsDescribe() {
    AppWorkload w =
        new AppWorkload("web", 3, Set.of(), 1, Specs.minimal("img:1"), 2, Specs.full(), 2);
    runtime.applyApp(w);
    StatefulSet live = client.apps().statefulSets().inNamespace(NS).withName("web").get();
    StatefulSet want = (StatefulSet) Manifests.statefulSet(w, runtime.target(w));
    assertThat(io.fabric8.kubernetes.client.utils.Serialization.asYaml(live.getSpec()))
        .isEqualTo(io.fabric8.kubernetes.client.utils.Serialization.asYaml(want.getSpec()));
    assertThat(live.getMetadata().getLabels()).isEqualTo(want.getMetadata().getLabels());
    assertThat(live.getMetadata().getAnnotations()).isEqualTo(want.getMetadata().getAnnotations());
    assertThat(client.services().inNamespace(NS).withName("web").get().getSpec().getClusterIP())
        .isEqualTo("None");
    assertThat(runtime.manifests(w))
        .isEqualTo(Manifests.yaml(Manifests.forApp(w, runtime.target(w))));
  }

  @Test
  void placesInstancesByTheSpecsSchedulingRules() {
    dev.berth.core.app.AppSpec base = Specs.minimal("img:1");
    dev.berth.core.app.AppSpec placed =
        new dev.berth.core.app.AppSpec(
            base.image(),
            base.command(),
            base.args(),
            base.env(),
            base.ports(),
            base.resources(),
            base.health(),
            base.lifecycle(),
            new dev.berth.core.app.Scheduling(
                null,
                java.util.Map.of("arch", "amd64"),
                java.util.Map.of("disk", "ssd"),
                dev.berth.core.app.Scheduling.Spread.STRICT,
                null));
    runtime.applyApp(Specs.settled("placed", 2, placed));
    var pod =
        client
            .apps()
            .statefulSets()
            .inNamespace(NS)
            .withName("placed")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("arch", "amd64");
    assertThat(pod.getTolerations()).isNotEmpty();
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getFirst()
                .getTopologyKey())
        .isEqualTo("kubernetes.io/hostname");
  }

  @Test
  void sendsNoWritesForAnAppThatIsAlreadyAsDesired() {
    AppWorkload w = Specs.settled("web", 2, Specs.full());
    runtime.applyApp(w);
    await()
        .atMost(AT_MOST)
        .until(
            () ->
                runtime.synced()
                    && !runtime.watchers().statefulSets.getStore().list().isEmpty()
                    && !runtime.watchers().services.getStore().list().isEmpty());
    long writes = runtime.writes();
    int requests = api.requests();
    runtime.applyApp(w);
    assertThat(runtime.writes()).isEqualTo(writes);
    assertThat(api.requests()).as("not even a read").isEqualTo(requests);
    runtime.applyApp(Specs.settled("web", 3, Specs.full()));
    assertThat(runtime.writes()).isEqualTo(writes + 1);
    await()
        .atMost(AT_MOST)
        .until(
            () ->
                client
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("web")
                        .get()
                        .getSpec()
                        .getReplicas()
                    == 3);
  }

  @Test
  void neverTouchesObjectsItDidNotCreate() {
    StatefulSet foreign =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(NS)
            .addToLabels("owner", "someone")
            .endMetadata()
            .withNewSpec()
            .withReplicas(7)
            .endSpec()
            .build();
    client.resource(foreign).create();
    assertThatThrownBy(() -> runtime.applyApp(Specs.settled("web", 1, Specs.full())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("was not created by Berth");
    runtime.deleteApp("web");
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(7);
  }

  @Test
  void recreatesAStatefulSetWhoseImmutableFieldsDifferKeepingItsPods() throws InterruptedException {
    AppWorkload w = Specs.settled("web", 2, Specs.full());
    StatefulSet old = (StatefulSet) Manifests.statefulSet(w, runtime.target(w));
    old.getSpec().setPodManagementPolicy("OrderedReady");
    old.getSpec().setServiceName("web-old");
    old.getMetadata().getAnnotations().put(Labels.APPLIED_HASH, "from-an-older-berth");
    String oldUid = client.resource(old).create().getMetadata().getUid();
    int before = api.server().getRequestCount();

    runtime.applyApp(w);

    StatefulSet live = client.apps().statefulSets().inNamespace(NS).withName("web").get();
    assertThat(live.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(live.getSpec().getServiceName()).isEqualTo("web");
    assertThat(live.getMetadata().getUid()).isNotEqualTo(oldUid);
    List<String> deletes = new java.util.ArrayList<>();
    for (int i = 0; i < api.server().getRequestCount(); i++) {
      var r = api.server().takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
      if (r != null && i >= before && r.getMethod().equals("DELETE")) {
        deletes.add(r.getPath() + " " + r.getBody().readUtf8());
      }
    }
    assertThat(deletes)
        .singleElement()
        .asString()
        .contains("/statefulsets/web")
        .contains("\"propagationPolicy\":\"Orphan\"");
  }

  @Test
  void refusesToWriteAnObjectTheApiServerWouldRefuse() {
    AppWorkload w = Specs.settled("1web", 1, Specs.minimal("img:1"));
    assertThatThrownBy(() -> runtime.applyApp(w))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining(
            "Service 1web would be refused by the API server: metadata.name: a DNS-1035 label");
    assertThat(client.services().inNamespace(NS).withName("1web").get()).isNull();
  }

  @Test
  void deletesOnlyWhatItManages() {
    runtime.applyApp(Specs.settled("web", 1, Specs.full()));
    runtime.deleteApp("web");
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("web").get()).isNull();
    assertThat(client.services().inNamespace(NS).withName("web").get()).isNull();
  }

  @Test
  void repairsDriftWhenSomeoneEditsOrDeletesItsObjects() {
    AppWorkload w = Specs.settled("web", 2, Specs.full());
    runtime.applyApp(w);
    await()
        .atMost(AT_MOST)
        .until(() -> runtime.watchers().statefulSets.getStore().list().size() == 1);
    client
        .apps()
        .statefulSets()
        .inNamespace(NS)
        .withName("web")
        .edit(s -> new StatefulSetBuilder(s).editSpec().withReplicas(9).endSpec().build());
    await()
        .atMost(AT_MOST)
        .until(
            () ->
                client
                        .apps()
                        .statefulSets()
                        .inNamespace(NS)
                        .withName("web")
                        .get()
                        .getSpec()
                        .getReplicas()
                    == 2);
    client.services().inNamespace(NS).withName("web").delete();
    await()
        .atMost(AT_MOST)
        .until(() -> client.services().inNamespace(NS).withName("web").get() != null);
  }

  @Test
  void survivesAConflictAndServerErrorsWithBackOff() {
    String path = "/apis/apps/v1/namespaces/apps/statefulsets";
    api.server().expect().post().withPath(path).andReturn(409, status(409, "Conflict")).once();
    api.server()
        .expect()
        .post()
        .withPath(path)
        .andReturn(500, status(500, "etcd leader changed"))
        .once();
    runtime.applyApp(Specs.settled("web", 2, Specs.full()));
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace(NS)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
  }

  @Test
  void givesUpAfterRepeatedServerErrorsWithAClearFailureAndLosesNothing() {
    String path = "/apis/apps/v1/namespaces/apps/statefulsets";
    api.server()
        .expect()
        .post()
        .withPath(path)
        .andReturn(503, status(503, "the server is shutting down"))
        .times(3);
    assertThatThrownBy(() -> runtime.applyApp(Specs.settled("web", 2, Specs.full())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("apply StatefulSet apps/web")
        .hasMessageContaining("503");
    runtime.applyApp(Specs.settled("web", 2, Specs.full()));
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("web").get()).isNotNull();
  }

  @Test
  void refusesForbiddenWritesAtOnceNamingRbac() {
    String path = "/apis/apps/v1/namespaces/apps/statefulsets";
    api.server()
        .expect()
        .post()
        .withPath(path)
        .andReturn(403, status(403, "statefulsets.apps is forbidden"))
        .once();
    assertThatThrownBy(() -> runtime.applyApp(Specs.settled("web", 2, Specs.full())))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("forbidden by RBAC");
  }

  @Test
  void keepsObservingAfterWatchesDrop() {
    await().atMost(AT_MOST).until(() -> runtime.synced() && api.openWatches() >= 6);
    assertThat(api.dropWatches()).isGreaterThanOrEqualTo(6);
    client.resource(Pods.pod("web", 0, 1, "Running", true, 0)).create();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .singleElement()
                    .satisfies(i -> assertThat(i.state()).isEqualTo(InstanceState.RUNNING)));
    api.dropWatches();
    runtime.applyApp(Specs.settled("web", 1, Specs.full()));
    await()
        .atMost(AT_MOST)
        .until(() -> runtime.watchers().statefulSets.getStore().list().size() == 1);
  }

  @Test
  void explainsThatAnOrdinalCannotStayFreeWithoutKruise() {
    assertThat(runtime.kruise()).isFalse();
    assertThat(runtime.deleteInstanceNote("web", 1, false))
        .get()
        .asString()
        .contains("no OpenKruise")
        .contains("web-1");
    assertThat(runtime.deleteInstanceNote("web", 1, true)).isEmpty();
  }

  static io.fabric8.kubernetes.api.model.Status status(int code, String message) {
    return new io.fabric8.kubernetes.api.model.StatusBuilder()
        .withCode(code)
        .withMessage(message)
        .withStatus("Failure")
        .build();
  }

  static <T extends HasMetadata> T created(KubernetesClient c, T o) {
    return c.resource(o).create();
  }

  @Test
  void asksThePodLogWithTimestampsSinceAndTailAndReadsTheTimes() throws Exception {
    client.resource(Pods.pod("web", 0, 1, "Running", true, 0)).create();
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 1);
    Instant since = Instant.parse("2026-03-01T10:00:00Z");
    api.server()
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/apps/pods/web-0/log?pretty=false&sinceTime=2026-03-01T10:00:00Z&tailLines=2&timestamps=true")
        .andReturn(
            200, "2026-03-01T10:00:01.500000000Z listening on :8080\n2026-03-01T10:00:02Z ready\n")
        .once();

    List<LogLine> lines = new ArrayList<>();
    try (LogStream s = runtime.logs("web-0", new LogQuery(2, false, since))) {
      for (Optional<LogLine> l; (l = s.next(Duration.ZERO)).isPresent(); ) {
        lines.add(l.get());
      }
    }
    assertThat(lines)
        .containsExactly(
            LogLine.of(Instant.parse("2026-03-01T10:00:01.5Z"), null, "listening on :8080"),
            LogLine.of(Instant.parse("2026-03-01T10:00:02Z"), null, "ready"));
    assertThat(lines.getFirst().render(true, true))
        .isEqualTo("2026-03-01T10:00:01.500Z listening on :8080");
  }

  @Test
  void aLineWithoutTheTimePrefixIsKeptWhole() {
    assertThat(PodLogs.parse("no time here")).isEqualTo(LogLine.of(null, null, "no time here"));
  }
}
