package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * An instance taken offline stays offline when Berth is killed with SIGKILL right after and started
 * again: the state was in the database, not in the dead process. The ready one stays in discovery
 * and DNS through the restart: the first answers of the new Berth list it, long before its
 * readiness probe runs again.
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

  /** The A records DNS answers for {@code name}; the server on the bridge of test number 162. */
  static Message dns(String name) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("10.203.162.1", 53));
    r.setTimeout(Duration.ofSeconds(5));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  static List<String> addresses(Message answer) {
    return answer.getSection(Section.ANSWER).stream()
        .map(a -> ((ARecord) a).getAddress().getHostAddress())
        .toList();
  }

  static String ipOf(String instance) throws Exception {
    for (JsonNode i : berth.get("/api/v1/apps/steady/instances").path("items")) {
      if (i.path("id").asText().equals(instance)) {
        return i.path("ip").asText();
      }
    }
    throw new AssertionError("no instance " + instance);
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
         "instances":2,"health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1,
                                              "initialDelaySeconds":10}}}
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

    String ip0 = ipOf("steady-0");

    berth.kill();
    berth.start();

    // the first answers, while the adopted instances' probes wait out their initial delay of 10 s
    assertThat(states()).containsExactly("steady-0=ready", "steady-1=offline");
    JsonNode serving = berth.get("/api/v1/apps/steady/endpoints").path("items");
    assertThat(serving).hasSize(1);
    assertThat(serving.get(0).path("ip").asText()).isEqualTo(ip0);
    // DNS starts with Berth's last step: wait for it to answer at all, then its first answer
    await()
        .atMost(READY)
        .ignoreExceptions()
        .until(() -> dns("nothing.default.berth.").getRcode() == Rcode.NXDOMAIN);
    assertThat(addresses(dns("steady.default.berth."))).containsExactly(ip0);
    assertThat(
            berth.call("POST", "/api/v1/apps/steady/instances/steady-1/online", null).statusCode())
        .isEqualTo(200);
    assertThat(states()).containsExactly("steady-0=ready", "steady-1=ready");
  }
}
