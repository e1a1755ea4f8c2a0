package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance taken offline stays offline when Berth is killed with SIGKILL right after and started
 * again: the state was in the database, not in the dead process.
 */
class TrafficKilledIT {
  static final Duration READY = Duration.ofSeconds(90);
  static TestRegistry registry;
  static BerthProcess berth;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "offline after kill -9");
    berth = BerthProcess.forClass(162, "traffic-killed").start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (berth != null) {
        berth.closeAndClean("steady");
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  static List<String> states() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/apps/steady/endpoints?all=true").path("items")) {
      out.add(e.path("instance").asText() + "=" + e.path("state").asText());
    }
    return out;
  }

  @Test
  void anOfflineInstanceIsStillOfflineAfterBerthWasKilledAndStartedAgain() throws Exception {
    String body =
        """
        {"name":"steady","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "instances":2,"health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1}}}
        """
            .formatted(image);
    assertThat(berth.call("POST", "/api/v1/apps", body).statusCode()).isEqualTo(201);
    await()
        .atMost(READY)
        .ignoreExceptions()
        .until(() -> states().equals(List.of("steady-0=ready", "steady-1=ready")));
    assertThat(
            berth.call("POST", "/api/v1/apps/steady/instances/steady-1/offline", null).statusCode())
        .isEqualTo(200);

    berth.kill();
    berth.start();

    await()
        .atMost(READY)
        .ignoreExceptions()
        .until(() -> states().equals(List.of("steady-0=ready", "steady-1=offline")));
    assertThat(berth.get("/api/v1/apps/steady/endpoints").path("items")).hasSize(1);
    assertThat(
            berth.call("POST", "/api/v1/apps/steady/instances/steady-1/online", null).statusCode())
        .isEqualTo(200);
    assertThat(states()).containsExactly("steady-0=ready", "steady-1=ready");
  }
}
