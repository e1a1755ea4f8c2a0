package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.app.AppValidator;
import dev.berth.core.app.Scheduling;
import dev.berth.core.node.NodeInfo;
import dev.berth.core.node.PoolDirectory;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.RunWorkload;
import dev.berth.core.support.Errors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every object Berth writes, for a broad set of accepted specs, conforms to the Kubernetes API
 * schema of its kind (no unknown field, no wrong type) and to the API server's field rules.
 */
class ManifestSchemaTest {
  private static final KubernetesSchemas SCHEMAS = KubernetesSchemas.load();
  private static final Scheduling PLACED =
      new Scheduling(
          "pool-a", Map.of("disk", "ssd"), Map.of(), Scheduling.Spread.PREFERRED, List.of());

  /** pool-a's definition: its selector and a taint, as an admin defined them. */
  private static final PoolDirectory.Definition POOL_A =
      new PoolDirectory.Definition(
          Map.of("example.com/disk-class", "fast", "disk", "ssd"),
          new NodeInfo.Taint("dedicated", "batch", "NoSchedule"));

  /** A pool of every node, tainted without a value. */
  private static final PoolDirectory.Definition TAINTED_ONLY =
      new PoolDirectory.Definition(
          Map.of(), new NodeInfo.Taint("example.com/gpu", "", "NoExecute"));

  /**
   * The objects of every broad case on a plain cluster, on an OpenKruise one, mid-rollout, and in a
   * gray release with instances chosen to go first (OnDelete, Kruise update priorities).
   */
  static List<HasMetadata> everyObject() {
    List<HasMetadata> out = new ArrayList<>();
    for (Specs.Case c : Specs.broad()) {
      Errors errors = new Errors();
      AppValidator.validateName(c.app(), errors);
      AppValidator.validateSpec(c.spec(), errors);
      errors.throwIfAny();
      AppWorkload settled = AppWorkload.settled(c.app(), 3, Set.of(1), 1, c.spec());
      AppWorkload rolling =
          new AppWorkload(c.app(), 1000, Set.of(), 1, Specs.minimal("img:0"), 2, c.spec(), 500);
      out.addAll(Manifests.forApp(settled, new Manifests.Target("apps", false, null)));
      out.addAll(
          Manifests.forApp(rolling, new Manifests.Target("apps", false, PLACED, null, POOL_A)));
      out.addAll(Manifests.forApp(settled, new Manifests.Target("apps", true, null)));
      AppWorkload gray =
          new AppWorkload(
              c.app(), 6, Set.of(4), 1, Specs.minimal("img:0"), 2, c.spec(), 4, Set.of(0, 2));
      out.addAll(Manifests.forApp(gray, new Manifests.Target("apps", false, null)));
      out.addAll(
          Manifests.forApp(gray, new Manifests.Target("apps", true, PLACED, null, TAINTED_ONLY)));
    }
    for (RunWorkload r : Specs.runs()) {
      out.add(Manifests.forRun(r, "apps"));
      out.add(Manifests.forRun(r, "apps", POOL_A));
    }
    out.add(Evictions.budget("a" + "-b".repeat(24) + "c", "apps", 1));
    out.add(Evictions.budget("web", "apps", 1000));
    return out;
  }

  @Test
  void everyGeneratedObjectMatchesTheKubernetesSchemaOfItsKind() {
    List<HasMetadata> objects = everyObject();
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains("Service", "StatefulSet", "Job", "PodDisruptionBudget");
    for (HasMetadata o : objects) {
      assertThat(SCHEMAS.problems(asStandard(o)))
          .as("%s %s", o.getKind(), o.getMetadata().getName())
          .isEmpty();
    }
  }

  @Test
  void everyGeneratedObjectMeetsTheApiServersFieldRules() {
    for (HasMetadata o : everyObject()) {
      assertThat(ApiServerRules.problems(o))
          .as("%s %s", o.getKind(), o.getMetadata().getName())
          .isEmpty();
    }
  }

  @Test
  void theSchemaRefusesAnUnknownFieldAndAWrongType() {
    AppWorkload w = Specs.settled("web", 1, Specs.validFull());
    ObjectNode sts =
        Serialization.jsonMapper()
            .valueToTree(Manifests.statefulSet(w, new Manifests.Target("apps", false, null)));
    assertThat(SCHEMAS.problems(sts)).isEmpty();

    ObjectNode unknown = sts.deepCopy();
    ((ObjectNode) unknown.at("/spec/template/spec/containers/0")).put("cpuLimit", "2");
    assertThat(SCHEMAS.problems(unknown)).singleElement().asString().contains("cpuLimit");

    ObjectNode wrongType = sts.deepCopy();
    ((ObjectNode) wrongType.at("/spec")).put("replicas", "three");
    assertThat(SCHEMAS.problems(wrongType)).singleElement().asString().contains("replicas");

    ObjectNode missing = sts.deepCopy();
    ((ObjectNode) missing.at("/spec/template/spec/containers/0")).remove("name");
    assertThat(SCHEMAS.problems(missing)).singleElement().asString().contains("name");
  }

  @Test
  void theFieldRulesNameWhatTheApiServerWouldRefuse() {
    var bad =
        new io.fabric8.kubernetes.api.model.ServiceBuilder()
            .withNewMetadata()
            .withName("1web")
            .withLabels(Map.of("berth.dev/app", "-x"))
            .endMetadata()
            .withNewSpec()
            .addNewPort()
            .withPort(80)
            .endPort()
            .addNewPort()
            .withName("8080")
            .withPort(8080)
            .endPort()
            .endSpec()
            .build();
    assertThat(ApiServerRules.problems(bad))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "metadata.labels[berth.dev/app]",
            "metadata.name",
            "spec.ports[0].name",
            "spec.ports[1].name");
  }

  @Test
  void theRulesRefuseUpdateStrategiesTheApiServerOrKruiseWouldRefuse() {
    AppWorkload gray =
        new AppWorkload(
            "web", 4, Set.of(), 1, Specs.minimal("img:1"), 2, Specs.full(), 4, Set.of(1));
    var onDelete =
        (io.fabric8.kubernetes.api.model.apps.StatefulSet)
            Manifests.statefulSet(gray, new Manifests.Target("apps", false, null));
    assertThat(onDelete.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
    onDelete
        .getSpec()
        .getUpdateStrategy()
        .setRollingUpdate(
            new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy(null, 1));
    assertThat(ApiServerRules.problems(onDelete))
        .containsExactly(
            "spec.updateStrategy.rollingUpdate: only allowed for updateStrategy 'RollingUpdate'");

    ObjectNode kruise =
        Serialization.jsonMapper()
            .valueToTree(Manifests.statefulSet(gray, new Manifests.Target("apps", true, null)));
    ((ObjectNode) kruise.get("spec")).put("podManagementPolicy", "OrderedReady");
    ((ObjectNode)
            kruise.at(
                "/spec/updateStrategy/rollingUpdate/unorderedUpdate/priorityStrategy/weightPriority/0"))
        .put("weight", 101);
    var bad =
        Serialization.jsonMapper()
            .convertValue(kruise, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
    assertThat(ApiServerRules.problems(bad))
        .containsExactlyInAnyOrder(
            "spec.updateStrategy.rollingUpdate.unorderedUpdate: unorderedUpdate can only work with"
                + " Parallel PodManagementPolicyType",
            "spec.updateStrategy.rollingUpdate.unorderedUpdate.priorityStrategy.weightPriority[0]"
                + ".weight: must be valid number in the range 1-100");
  }

  /**
   * An OpenKruise Advanced StatefulSet is an apps/v1 StatefulSet plus {@code reserveOrdinals} and
   * update priorities ({@code rollingUpdate.unorderedUpdate}, checked by {@link KruiseRules}); it
   * is checked as that StatefulSet (the Kruise CRD schema is not in the package).
   */
  private static JsonNode asStandard(HasMetadata o) {
    ObjectNode n = Serialization.jsonMapper().valueToTree(o);
    if (Manifests.KRUISE_API_VERSION.equals(n.path("apiVersion").asText())) {
      assertThat(n.at("/spec/reserveOrdinals").isArray()).isTrue();
      ((ObjectNode) n.get("spec")).remove("reserveOrdinals");
      if (n.at("/spec/updateStrategy/rollingUpdate") instanceof ObjectNode rolling) {
        rolling.remove("unorderedUpdate");
      }
      n.put("apiVersion", "apps/v1");
    }
    return n;
  }
}
