package dev.berth.runtime.kubernetes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.core.runtime.Terminal;
import dev.berth.core.support.ConflictException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    // Only this exact request upgrades; any other exec (no TTY, no stdin) would be refused. The
    // mock answers only the messages it expects and closes the socket on any other: the prompt
    // comes once the terminal's size arrived on the resize channel, the exit status once "exit"
    // arrived on stdin.
    api.server()
        .expect()
        .get()
        .withPath(EXEC)
        .andUpgradeToWebSocket()
        .open()
        .expect(RESIZE_100_BY_30)
        .andEmit(channel(1, "$ "))
        .once()
        .expect("\u0000exit\r")
        .andEmit(channel(3, "{\"metadata\":{},\"status\":\"Success\"}"))
        .once()
        .done()
        .once();

    Terminal t = runtime.openTerminal("web-0", List.of("sh"), 100, 30);
    assertThat(api.server().getLastRequest().getPath()).isEqualTo(EXEC);
    assertThat(read(t, 2)).isEqualTo("$ ");
    assertThat(t.exited()).isNotDone();

    t.input().write("exit\r".getBytes(UTF_8));
    t.input().flush();
    assertThat(t.exited().get(20, TimeUnit.SECONDS)).isZero();
    t.close();
  }

  @Test
  void aTerminalClosedBeforeItsCommandEndedEndsWithoutAnExitCode() throws Exception {
    client.resource(Pods.pod("web", 0, 1, "Running", true, 0)).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> runtime.instances("web").size() == 1);
    // A message due in five minutes keeps the mock's socket open until the terminal is closed.
    api.server()
        .expect()
        .get()
        .withPath(EXEC)
        .andUpgradeToWebSocket()
        .open()
        .expect(RESIZE_100_BY_30)
        .andEmit(channel(1, "$ "))
        .once()
        .waitFor(TimeUnit.MINUTES.toMillis(5))
        .andEmit(new WebSocketMessage(TimeUnit.MINUTES.toMillis(5), "\u0001late", true, false))
        .done()
        .once();

    Terminal t = runtime.openTerminal("web-0", List.of("sh"), 100, 30);
    assertThat(read(t, 2)).isEqualTo("$ ");
    t.close();
    assertThat(t.exited().get(20, TimeUnit.SECONDS)).isEqualTo(-1);
  }

  /** The size message as the mock sees it: the resize channel's byte, then the JSON. */
  static final String RESIZE_100_BY_30 = "\u0004{\"Width\":100,\"Height\":30}";

  /** A binary frame on one of the exec's channels (1 stdout, 3 status), as the kubelet sends it. */
  private static WebSocketMessage channel(int channel, String text) {
    byte[] body = text.getBytes(UTF_8);
    byte[] frame = new byte[body.length + 1];
    frame[0] = (byte) channel;
    System.arraycopy(body, 0, frame, 1, body.length);
    return new WebSocketMessage(0L, frame, true, true);
  }

  /** Reads what the terminal shows until {@code count} bytes came, within 20 s. */
  private static String read(Terminal t, int count) throws Exception {
    byte[] shown = new byte[count];
    int n =
        CompletableFuture.supplyAsync(() -> readAtLeast(t.output(), shown, count))
            .get(20, TimeUnit.SECONDS);
    return new String(shown, 0, n, UTF_8);
  }

  private static int readAtLeast(InputStream in, byte[] into, int atLeast) {
    int n = 0;
    try {
      while (n < atLeast) {
        int r = in.read(into, n, into.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
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
