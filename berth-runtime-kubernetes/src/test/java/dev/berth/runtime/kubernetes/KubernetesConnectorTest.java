package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.ValidationException;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesConnectorTest {
  final ApiServer api = new ApiServer();
  final KubernetesConnector connector = new KubernetesConnector();

  @AfterEach
  void stop() {
    api.close();
  }

  void answerVersion(String minor) {
    api.server()
        .setVersionInfo(
            new VersionInfo.Builder()
                .withMajor("1")
                .withMinor(minor)
                .withGitVersion("v1." + minor + ".2")
                .build());
  }

  @Test
  void checksAWorkingClusterAndReportsItsVersion() {
    answerVersion("31");
    try (KubernetesConnection connection = connector.connect(api.kubeconfig("token"), false)) {
      assertThat(connection.check("kubeconfig", "default")).isEqualTo("v1.31.2");
      assertThat(connection.health())
          .isEqualTo(
              new KubernetesConnection.Health(true, "Ready", "Kubernetes v1.31.2", "v1.31.2"));
    }
  }

  @Test
  void refusesAKubernetesOlderThanBerthDrivesNamingTheField() {
    answerVersion("20");
    try (KubernetesConnection connection = connector.connect(api.kubeconfig("token"), false)) {
      assertThatThrownBy(() -> connection.check("kubeconfig", "default"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.errors().getFirst().field()).isEqualTo("kubeconfig"))
          .hasMessageContaining("Berth needs 1.24 or newer");
    }
  }

  @Test
  void refusesCredentialsTheApiServerRejectsNamingTheField() {
    answerVersion("31");
    api.server()
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/default/statefulsets?limit=1")
        .andReturn(401, "{\"kind\":\"Status\",\"code\":401,\"message\":\"Unauthorized\"}")
        .always();
    try (KubernetesConnection connection = connector.connect(api.kubeconfig("wrong"), false)) {
      assertThatThrownBy(() -> connection.check("kubeconfig", "default"))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.errors().getFirst().field()).isEqualTo("kubeconfig"))
          .hasMessageContaining("rejected the credentials (401)");
    }
  }

  @Test
  void reportsAnApiServerThatIsGoneAsUnreachableWithoutThrowing() {
    try (KubernetesConnection connection = connector.connect(api.kubeconfig("token"), false)) {
      api.close();
      KubernetesConnection.Health health = connection.health();
      assertThat(health.ready()).isFalse();
      assertThat(health.status()).isEqualTo("Unreachable");
      assertThat(health.message()).startsWith("the API server cannot be reached");
      assertThat(health.version()).isNull();
    }
  }

  @Test
  void refusesADocumentThatIsNoKubeconfigNamingTheField() {
    assertThatThrownBy(() -> connector.connect("clusters: [this is not yaml", false))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.errors().getFirst().field()).isEqualTo("kubeconfig"))
        .hasMessageContaining("is not a usable kubeconfig");
  }
}
