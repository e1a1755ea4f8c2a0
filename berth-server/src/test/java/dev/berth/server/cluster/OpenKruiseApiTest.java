package dev.berth.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.server.BerthApplication;
import dev.berth.server.testing.Kubeconfigs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Deleting one instance without replacement through the REST API, on a cluster with OpenKruise's
 * Advanced StatefulSet CRD and on one without; both are fabric8's mock API server in CRUD mode.
 */
@SpringBootTest(
    classes = BerthApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenKruiseApiTest {
  static final String TOKEN = "berth_open-kruise-api-test-token-0123456789";
  static final ResourceDefinitionContext ADVANCED =
      new ResourceDefinitionContext.Builder()
          .withGroup("apps.kruise.io")
          .withVersion("v1beta1")
          .withKind("StatefulSet")
          .withPlural("statefulsets")
          .withNamespaced(true)
          .build();
  static final ObjectMapper JSON = new ObjectMapper();
  static Path dataDir;
  static KubernetesMockServer plain;
  static KubernetesMockServer kruise;
  final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  @BeforeAll
  static void startApis() throws Exception {
    dataDir = Files.createTempDirectory("berth-kruise");
    plain = apiServer();
    kruise = apiServer();
    try (KubernetesClient c = kruise.createClient()) {
      c.apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              new CustomResourceDefinitionBuilder()
                  .withNewMetadata()
                  .withName("statefulsets.apps.kruise.io")
                  .endMetadata()
                  .withNewSpec()
                  .withGroup("apps.kruise.io")
                  .withScope("Namespaced")
                  .withNewNames()
                  .withKind("StatefulSet")
                  .withPlural("statefulsets")
                  .withSingular("statefulset")
                  .endNames()
                  .addNewVersion()
                  .withName("v1beta1")
                  .withServed(true)
                  .withStorage(true)
                  .withNewSchema()
                  .withNewOpenAPIV3Schema()
                  .withType("object")
                  .withXKubernetesPreserveUnknownFields(true)
                  .endOpenAPIV3Schema()
                  .endSchema()
                  .endVersion()
                  .endSpec()
                  .build())
          .create();
    }
  }

  static KubernetesMockServer apiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer s =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    s.init(InetAddress.getLoopbackAddress(), 0);
    return s;
  }

  @AfterAll
  static void stopApis() {
    plain.destroy();
    kruise.destroy();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () -> "jdbc:h2:mem:kruise-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    registry.add("berth.data-dir", () -> dataDir.toString());
    registry.add("berth.admin-token", () -> TOKEN);
    registry.add("berth.local.enabled", () -> "false");
    registry.add("server.port", () -> "0");
  }

  @Test
  void
      withOpenKruiseDeletingAnInstanceWithoutReplacementReservesItsOrdinalInTheAdvancedStatefulSet()
          throws Exception {
    registerClusterWithApp("kz", kruise, "api");
    try (KubernetesClient c = kruise.createClient()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  c.genericKubernetesResources(ADVANCED).inNamespace("apps").withName("api").get()
                      != null);
      assertThat(c.apps().statefulSets().inNamespace("apps").withName("api").get())
          .as("no plain StatefulSet")
          .isNull();
      managedPod(c, "api", "api-1");
      HttpResponse<String> deleted = deleteWithoutReplacement("api", "api-1");
      assertThat(JSON.readTree(deleted.body()).path("message").asText())
          .contains("ordinal 1 stays free")
          .doesNotContain("no OpenKruise");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          spec(
                              c.genericKubernetesResources(ADVANCED)
                                  .inNamespace("apps")
                                  .withName("api")
                                  .get()))
                      .containsEntry("reserveOrdinals", List.of(1))
                      .containsEntry("replicas", 2));
    }
  }

  @Test
  void
      withoutOpenKruiseDeletingAnInstanceWithoutReplacementDeletesThePodAndTheAnswerSaysItComesBack()
          throws Exception {
    registerClusterWithApp("pz", plain, "web");
    try (KubernetesClient c = plain.createClient()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> c.apps().statefulSets().inNamespace("apps").withName("web").get() != null);
      managedPod(c, "web", "web-1");
      HttpResponse<String> deleted = deleteWithoutReplacement("web", "web-1");
      assertThat(JSON.readTree(deleted.body()).path("message").asText())
          .contains("has no OpenKruise")
          .contains("recreates it with the same name");
      assertThat(c.pods().inNamespace("apps").withName("web-1").get()).isNull();
    }
  }

  private void registerClusterWithApp(String cluster, KubernetesMockServer api, String app)
      throws Exception {
    String kubeconfig = Kubeconfigs.withToken("http://127.0.0.1:" + api.getPort(), "t");
    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/clusters",
            JSON.writeValueAsString(
                Map.of(
                    "name", cluster, "kubeconfig", kubeconfig, "namespace", "apps", "zone", "z1")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> a =
        call(
            "POST",
            "/api/v1/apps",
            "{\"name\":\""
                + app
                + "\",\"cluster\":\""
                + cluster
                + "\",\"image\":\"busybox:1\",\"instances\":3}");
    assertThat(a.statusCode()).as(a.body()).isEqualTo(201);
  }

  private HttpResponse<String> deleteWithoutReplacement(String app, String instance)
      throws Exception {
    String path =
        "/api/v1/apps/" + app + "/instances/" + instance + "?replace=false&confirm=" + instance;
    // The instance is known once the cluster's pod informer has seen the pod.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                call("GET", "/api/v1/apps/" + app + "/instances", null).body().contains(instance));
    HttpResponse<String> r = call("DELETE", path, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r;
  }

  private static void managedPod(KubernetesClient c, String app, String name) {
    c.pods()
        .inNamespace("apps")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("apps")
                .addToLabels(
                    Map.of(
                        "app.kubernetes.io/managed-by",
                        "berth",
                        "app.kubernetes.io/name",
                        app,
                        "berth.dev/app",
                        app))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("busybox:1")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(30));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
