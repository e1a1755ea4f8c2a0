package dev.berth.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.core.app.AppSpec;
import dev.berth.core.app.Health;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.time.ManualScheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A readiness probe against a closed port on loopback: where it starts from decides what its first
 * failure says. Ticks come from a scheduler moved by hand; needs no root.
 */
class ProberTest {
  record Outcome(boolean ready, String why) {}

  final ManualScheduler time = new ManualScheduler();
  final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
  final Prober.Sink sink =
      new Prober.Sink() {
        @Override
        public void ready(long gen, boolean ready, String why) {
          outcomes.add(new Outcome(ready, why));
        }

        @Override
        public void unhealthy(long gen, String why) {
          throw new AssertionError("no liveness probe here");
        }
      };

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  Prober failingReadiness() throws IOException {
    Probe probe = new Probe(ProbeType.TCP, closedPort(), null, null, 0, 1, 1, 1, 1);
    AppSpec spec =
        new AppSpec(
            "busybox:1", List.of("httpd"), null, null, null, null, new Health(null, probe), null);
    return new Prober(1, "127.0.0.1", spec, "web-0", null, null, sink);
  }

  @Test
  void anAdoptedReadyContainerThatFailsItsProbeTurnsUnreadySayingWhy() throws IOException {
    Prober p = failingReadiness();
    p.start(time, true);
    try {
      time.advance(Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
    } finally {
      p.stop();
    }
    assertThat(outcomes.getFirst().ready()).isFalse();
    assertThat(outcomes.getFirst().why()).startsWith("Readiness probe failed: tcp probe failed");
  }

  @Test
  void aNewContainerThatFailsItsProbeStaysUnreadyWithoutAWarning() throws IOException {
    Prober p = failingReadiness();
    p.start(time, false);
    try {
      time.advance(Duration.ZERO);
      await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
    } finally {
      p.stop();
    }
    assertThat(outcomes.getFirst()).isEqualTo(new Outcome(false, null));
  }
}
