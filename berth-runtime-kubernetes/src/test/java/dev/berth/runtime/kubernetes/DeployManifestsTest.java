package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes parses as Kubernetes objects and grants Berth exactly what its runtime uses.
 */
class DeployManifestsTest {
  static final Path DIR = Path.of("..", "deploy", "kubernetes");
  static List<HasMetadata> objects = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          Object parsed = Serialization.unmarshal(in);
          if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list) {
            objects.addAll(list.getItems());
          } else if (parsed instanceof List<?> list) {
            list.forEach(o -> objects.add((HasMetadata) o));
          } else {
            objects.add((HasMetadata) parsed);
          }
        }
      }
    }
  }

  @Test
  void everyDocumentMatchesTheKubernetesSchemaOfItsKind() throws IOException {
    KubernetesSchemas schemas = KubernetesSchemas.load();
    var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    int checked = 0;
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var docs =
            yaml.readerFor(com.fasterxml.jackson.databind.JsonNode.class)
                .<com.fasterxml.jackson.databind.JsonNode>readValues(f.toFile())) {
          while (docs.hasNext()) {
            var doc = docs.next();
            if (doc == null || doc.isEmpty()) {
              continue;
            }
            assertThat(schemas.problems(doc))
                .as(
                    "%s: %s %s",
                    f.getFileName(), doc.path("kind").asText(), doc.at("/metadata/name").asText())
                .isEmpty();
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(objects.size());
  }

  @Test
  void containsEveryPieceBerthNeeds() {
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "Namespace",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "ClusterRole",
            "ClusterRoleBinding",
            "Deployment",
            "Service",
            "Secret");
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getName()).isNotBlank());
  }

  @Test
  void runsBerthWithItsServiceAccountPostgresFromASecretAndNoLocalCluster() {
    Deployment d = one(Deployment.class);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("berth");
    var c = pod.getContainers().getFirst();
    Map<String, EnvVar> env =
        c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("BERTH_LOCAL_ENABLED").getValue()).isEqualTo("false");
    for (String k :
        List.of(
            "SPRING_DATASOURCE_URL",
            "SPRING_DATASOURCE_USERNAME",
            "SPRING_DATASOURCE_PASSWORD",
            "BERTH_SECRET_KEY")) {
      assertThat(env.get(k).getValueFrom().getSecretKeyRef().getName()).as(k).isEqualTo("berth-db");
    }
    assertThat(c.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/readiness");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
  }

  @Test
  void grantsLeastPrivilegeNamespacedAndOnlyNodesAndPodReadsClusterWide() {
    Role role = one(Role.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo("berth-apps");
    assertThat(resources(role.getRules()))
        .containsExactlyInAnyOrder(
            "apps/statefulsets",
            "apps.kruise.io/statefulsets",
            "/services",
            "/pods",
            "/pods/log",
            "/pods/exec",
            "batch/jobs",
            "/events",
            "policy/poddisruptionbudgets",
            "/pods/eviction");
    assertThat(role.getRules()).noneSatisfy(r -> assertThat(r.getVerbs()).contains("*"));
    assertThat(rule(role, "/events").getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(rule(role, "/pods/log").getVerbs()).containsExactly("get");
    assertThat(rule(role, "/pods/eviction").getVerbs()).containsExactly("create");
    ClusterRole nodes = one(ClusterRole.class);
    assertThat(resources(nodes.getRules())).containsExactly("/nodes", "/pods");
    assertThat(nodes.getRules().getFirst().getVerbs())
        .containsExactlyInAnyOrder("get", "list", "watch", "patch");
    assertThat(nodes.getRules().get(1).getVerbs())
        .containsExactlyInAnyOrder("get", "list", "watch");
    RoleBinding binding = one(RoleBinding.class);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("berth");
              assertThat(s.getNamespace()).isEqualTo("berth");
            });
  }

  private static List<String> resources(List<PolicyRule> rules) {
    List<String> out = new ArrayList<>();
    for (PolicyRule r : rules) {
      for (String g : r.getApiGroups()) {
        r.getResources().forEach(res -> out.add(g + "/" + res));
      }
    }
    return out;
  }

  private static PolicyRule rule(Role role, String resource) {
    return role.getRules().stream()
        .filter(r -> resources(List.of(r)).contains(resource))
        .findFirst()
        .orElseThrow();
  }

  private static <T> T one(Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.getFirst();
  }
}
