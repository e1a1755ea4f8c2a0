package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.event.Event;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.Observation;
import dev.berth.core.runtime.RuntimeFailure;
import dev.berth.core.runtime.WorkloadStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A release on a plain StatefulSet against fabric8's mock API server (CRUD mode): the partition
 * follows the batches, a paused release writes nothing, instances chosen to go first are moved by
 * Berth one at a time ({@code OnDelete}), faults become retries and events, and the StatefulSet's
 * status comes back from the informer. The test plays the StatefulSet controller and the kubelet:
 * it creates the pods Berth's StatefulSet would have.
 */
class ReleaseOnKubernetesTest {
  static final String NS = KubernetesRuntimeTest.NS;
  static final Duration AT_MOST = Duration.ofSeconds(20);
  static final AppSpec V1 = Specs.minimal("img:1");
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;
  final List<Event> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
    runtime = KubernetesRuntimeTest.runtime(api.clientWithoutRetries());
    runtime.observe(
        o -> {
          if (o instanceof Observation.Happened h) {
            events.add(h.event());
          }
        });
    await().atMost(AT_MOST).until(runtime::synced);
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  static AppWorkload release(int partition, Integer... chosen) {
    return Specs.release("web", 4, partition, chosen);
  }

  @Test
  void thePartitionFollowsTheBatchesAndAPausedReleaseWritesNothing() {
    runtime.applyApp(AppWorkload.settled("web", 4, Set.of(), 1, V1));
    for (int partition : new int[] {3, 1, 0}) {
      AppWorkload batch = release(partition);
      runtime.applyApp(batch);
      assertThat(live().getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
      assertThat(live().getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
          .isEqualTo(partition);
      awaitCachedPartition(partition);

      // Paused: the controller applies the same workload again, any number of times.
      long writes = runtime.writes();
      int requests = api.requests();
      runtime.applyApp(batch);
      runtime.applyApp(batch);
      assertThat(runtime.writes()).as("writes while paused at %d", partition).isEqualTo(writes);
      assertThat(api.requests()).as("not even a read").isEqualTo(requests);
      assertThat(live().getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
          .isEqualTo(partition);
    }
  }

  @Test
  void aBatchWhosePartitionCannotBeWrittenFailsAsARuntimeFailureAndMovesOnTheNextTry() {
    runtime.applyApp(release(3));
    awaitCachedPartition(3);
    api.server()
        .expect()
        .put()
        .withPath("/apis/apps/v1/namespaces/apps/statefulsets/web")
        .andReturn(500, KubernetesRuntimeTest.status(500, "etcd leader changed"))
        .times(3);
    assertThatThrownBy(() -> runtime.applyApp(release(1)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("apply StatefulSet apps/web")
        .hasMessageContaining("500");
    assertThat(live().getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
        .as("the batch before stays")
        .isEqualTo(3);
    runtime.applyApp(release(1));
    assertThat(live().getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isEqualTo(1);
  }

  @Test
  void aChosenInstanceGoesFirstOnePodAtATimeWaitingForReadiness() {
    runtime.applyApp(AppWorkload.settled("web", 4, Set.of(), 1, V1));
    Pods.createReady(client, "web", 4, 1);
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 4);

    // The bastion: web-1 was chosen, below the partition.
    runtime.applyApp(release(4, 1));
    assertThat(live().getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    assertThat(live().getSpec().getUpdateStrategy().getRollingUpdate()).isNull();
    assertThat(podNames()).containsExactly("web-0", "web-2", "web-3");
    recreate(1, false);
    assertThat(updating()).containsExactly("web-1");

    // The next batch is promoted while web-1 is not ready yet: nothing more is deleted.
    runtime.applyApp(release(2, 1));
    assertThat(podNames()).hasSize(4);
    ready(1);
    await().atMost(AT_MOST).until(() -> podNames().size() == 3);
    assertThat(podNames()).doesNotContain("web-3");
    recreate(3, true);
    await().atMost(AT_MOST).until(() -> !podNames().contains("web-2"));
    recreate(2, true);
    await().atMost(AT_MOST).until(() -> runtime.instances("web").stream().allMatch(i -> i.ready()));
    assertThat(updating()).containsExactly("web-1", "web-3", "web-2");
    assertThat(runtime.instances("web"))
        .extracting(i -> i.revision())
        .as("exactly what the workload says is updated")
        .containsExactly(1L, 2L, 2L, 2L);

    // Settled at this batch: another pass writes nothing.
    long writes = runtime.writes();
    runtime.applyApp(release(2, 1));
    assertThat(runtime.writes()).isEqualTo(writes);
    assertThat(updating()).hasSize(3);

    // The release ends: back to RollingUpdate, the StatefulSet controller moves web-0.
    runtime.applyApp(release(0));
    assertThat(live().getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(live().getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
  }

  @Test
  void aConflictAndAServerErrorOnDeleteAreRetried() {
    runtime.applyApp(AppWorkload.settled("web", 4, Set.of(), 1, V1));
    Pods.createReady(client, "web", 4, 1);
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 4);
    String path = "/api/v1/namespaces/apps/pods/web-2";
    api.server()
        .expect()
        .delete()
        .withPath(path)
        .andReturn(409, KubernetesRuntimeTest.status(409, "Conflict"))
        .once();
    api.server()
        .expect()
        .delete()
        .withPath(path)
        .andReturn(500, KubernetesRuntimeTest.status(500, "etcd leader changed"))
        .once();
    runtime.applyApp(release(4, 2));
    assertThat(podNames()).containsExactly("web-0", "web-1", "web-3");
  }

  @Test
  void aDeleteThatKeepsFailingIsARuntimeFailureAndAWarningThenARetry() {
    runtime.applyApp(AppWorkload.settled("web", 4, Set.of(), 1, V1));
    Pods.createReady(client, "web", 4, 1);
    await().atMost(AT_MOST).until(() -> runtime.instances("web").size() == 4);
    api.server()
        .expect()
        .delete()
        .withPath("/api/v1/namespaces/apps/pods/web-1")
        .andReturn(503, KubernetesRuntimeTest.status(503, "the server is shutting down"))
        .times(9);

    // On the controller's path: the failure the controller retries with back-off.
    assertThatThrownBy(() -> runtime.applyApp(release(4, 1)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("delete pod apps/web-1")
        .hasMessageContaining("503");

    // Driven by the informers (a pod change or the resync every second): a Warning event, nothing
    // thrown, and another try until the API server recovers.
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e.reason()).isEqualTo("UpdateFailed");
                          assertThat(e.message()).contains("503").contains("tried again");
                        }));
    await().atMost(AT_MOST).until(() -> !podNames().contains("web-1"));
    assertThat(podNames()).containsExactly("web-0", "web-2", "web-3");
  }

  @Test
  void theStatefulSetsStatusAndRevisionHashesComeBackAsBerthRevisions() {
    runtime.applyApp(release(3));
    StatefulSet sts = live();
    sts.setStatus(
        new StatefulSetStatusBuilder()
            .withObservedGeneration(sts.getMetadata().getGeneration())
            .withReplicas(4)
            .withReadyReplicas(3)
            .withUpdatedReplicas(1)
            .withCurrentRevision("web-5d8f7c")
            .withUpdateRevision("web-7b9c4d")
            .build());
    client.apps().statefulSets().inNamespace(NS).resource(sts).updateStatus();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.workloadStatus("web"))
                    .contains(new WorkloadStatus("web", 4, 3, 1, 1, 2, true)));

    // A pod without Berth's revision label: its controller-revision-hash says which it runs.
    Pod unlabelled =
        new PodBuilder(Pods.pod("web", 3, 2, "Running", true, 0))
            .editMetadata()
            .removeFromLabels(Labels.REVISION)
            .addToLabels(StatefulSetStatus.REVISION_HASH, "web-7b9c4d")
            .endMetadata()
            .build();
    client.resource(unlabelled).create();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () ->
                assertThat(runtime.instances("web"))
                    .singleElement()
                    .satisfies(i -> assertThat(i.revision()).isEqualTo(2)));
    assertThat(runtime.workloadStatus("nothing")).isEmpty();
  }

  private StatefulSet live() {
    return client.apps().statefulSets().inNamespace(NS).withName("web").get();
  }

  private void awaitCachedPartition(int partition) {
    await()
        .atMost(AT_MOST)
        .until(
            () -> {
              var s =
                  (StatefulSet) runtime.watchers().statefulSets.getStore().getByKey(NS + "/web");
              return s != null
                  && s.getSpec().getUpdateStrategy().getRollingUpdate().getPartition() == partition;
            });
  }

  private List<String> podNames() {
    return client.pods().inNamespace(NS).list().getItems().stream()
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  private List<String> updating() {
    return events.stream()
        .filter(e -> e.reason().equals("UpdatingInstance"))
        .map(e -> e.message().substring(0, e.message().indexOf(' ')))
        .toList();
  }

  /** What the StatefulSet controller does after a delete: the pod again, from the template. */
  private void recreate(int ordinal, boolean ready) {
    await().atMost(AT_MOST).until(() -> !podNames().contains("web-" + ordinal));
    long revision = Long.parseLong(live().getMetadata().getAnnotations().get(Labels.REVISION));
    client.resource(Pods.pod("web", ordinal, revision, "Running", ready, 0)).create();
  }

  private void ready(int ordinal) {
    Pod pod = client.pods().inNamespace(NS).withName("web-" + ordinal).get();
    long revision = Long.parseLong(pod.getMetadata().getLabels().get(Labels.REVISION));
    client
        .pods()
        .inNamespace(NS)
        .resource(Pods.pod("web", ordinal, revision, "Running", true, 0))
        .update();
  }
}
