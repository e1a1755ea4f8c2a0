package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.runtime.WorkloadStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A StatefulSet's status and revision hashes read as Berth revisions. */
class StatefulSetStatusTest {
  static StatefulSet sts(long generation, Long observed) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName("web")
        .withGeneration(generation)
        .withAnnotations(Map.of(Labels.REVISION, "7", Labels.CURRENT_REVISION, "6"))
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withReplicas(3)
        .withReadyReplicas(3)
        .withUpdatedReplicas(1)
        .withCurrentRevision("web-aaa")
        .withUpdateRevision("web-bbb")
        .endStatus()
        .build();
  }

  static Pod pod(int ordinal, String hash, Long revision) {
    PodBuilder b =
        new PodBuilder(
                Pods.pod("web", ordinal, revision == null ? 0 : revision, "Running", true, 0))
            .editMetadata()
            .addToLabels(StatefulSetStatus.REVISION_HASH, hash)
            .endMetadata();
    if (revision == null) {
      b.editMetadata().removeFromLabels(Labels.REVISION).endMetadata();
    }
    return b.build();
  }

  @Test
  void theAnnotationsNameTheRevisionsOnceTheControllerObservedTheSpec() {
    assertThat(StatefulSetStatus.of("web", sts(4, 4L), List.of()))
        .isEqualTo(new WorkloadStatus("web", 3, 3, 1, 6, 7, true));
  }

  @Test
  void beforeTheControllerObservedTheSpecOnlyThePodsTell() {
    assertThat(StatefulSetStatus.of("web", sts(5, 4L), List.of()))
        .isEqualTo(new WorkloadStatus("web", 3, 3, 1, 0, 0, false));
    assertThat(StatefulSetStatus.of("web", sts(5, 4L), List.of(pod(0, "web-aaa", 6L))))
        .isEqualTo(new WorkloadStatus("web", 3, 3, 1, 6, 0, false));
  }

  @Test
  void aPodsLabelOutranksTheAnnotationsAndAnUnknownHashIsZero() {
    assertThat(StatefulSetStatus.revision(sts(4, 4L), "web-bbb", List.of(pod(2, "web-bbb", 9L))))
        .isEqualTo(9);
    assertThat(StatefulSetStatus.revision(sts(4, 4L), "web-ccc", List.of())).isZero();
    assertThat(StatefulSetStatus.revision(null, "web-bbb")).as("no StatefulSet cached").isZero();
    assertThat(StatefulSetStatus.revision(sts(4, 4L), null)).isZero();
  }
}
