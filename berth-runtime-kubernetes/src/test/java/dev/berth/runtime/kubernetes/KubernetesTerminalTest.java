package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.runtime.Terminal;
import dev.berth.core.support.ConflictException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Terminals through the pods/exec subresource on fabric8's mock API server: the exec asks for a TTY
 * with stdin, the terminal shows what the exec's stdout channel carries and ends with the exit code
 * of its status channel; a pod that is not running is refused with the reason.
 */
class KubernetesTerminalTest {
  static final String EXEC =
      "/api/v1/namespaces/apps/pods/web-0/exec?command=sh&container=app&tty=true&stdin=true&stdout=true";
  ApiServer api;
  KubernetesClient client;
  KubernetesRuntime runtime;

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
    runtime = KubernetesRuntimeTest.runtime(api.clientWithoutRetries());
  }

  @AfterEach
  void stop() {
    runtime.close();
    client.close();
    api.close();
  }

  @Test
  void aTerminalIsAnExecWithStdinAndATtyInThePodsContainer() throws Exception {
    client.resource(Pods.pod("web", 0, 1, "Running", true, 0)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.instances("web").size() == 1);
    // Only this exact request upgrades; any other exec (no TTY, no stdin) would be refused.
    api.server().expect().get().withPath(EXEC).andUpgradeToWebSocket().open().done().once();

    Terminal t = runtime.openTerminal("web-0", List.of("sh"), 100, 30);
    assertThat(api.server().getLastRequest().getPath()).isEqualTo(EXEC);
    assertThat(t.exited()).isNotDone();
    t.close();
    assertThat(t.exited().get(20, TimeUnit.SECONDS)).isEqualTo(-1);
  }

  @Test
  void aPodThatIsNotRunningIsRefusedWithTheReason() {
    client.resource(Pods.pod("web", 0, 1, "Pending", false, 0)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.instances("web").size() == 1);
    assertThatThrownBy(() -> runtime.openTerminal("web-0", List.of("sh"), 80, 24))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("pod web-0 is Pending")
        .hasMessageContaining("running container");
  }
}
