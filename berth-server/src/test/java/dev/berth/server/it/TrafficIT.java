package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ExecResult;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * Traffic on the local cluster with real containers: discovery and DNS list only ready, online
 * instances and follow readiness as it flaps (a readiness command checks a file the test removes
 * and puts back inside the container); an instance taken offline keeps running, leaves both, stays
 * offline across a Berth restart and comes back with online; the watch delivers each change. A
 * weight set by hand shows in discovery, survives the restart, and 0 keeps the instance ready.
 * Containers resolve Berth's names through the bridge. Nothing is forwarded off this machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrafficIT {
  static final Duration READY = Duration.ofSeconds(90);
  static LocalBerth fixture;
  static BerthServer berth;
  static String dnsAddress;

  @BeforeAll
  static void start() throws Exception {
    fixture = LocalBerth.start(160, "traffic", Map.of("berth.traffic.dns.forward", "false"));
    berth = fixture.berth;
    dnsAddress = fixture.subnetPrefix + "1";
    String app =
        """
        {"name":"web","image":"%s","instances":2,"resources":{"cpu":0.1,"memoryMiB":32},
         "command":["sh","-c","touch /tmp/ready; exec httpd -f -p 8080 -h /www"],
         "ports":[{"name":"http","port":8080}],
         "health":{"readiness":{"type":"cmd","command":["sh","-c","test -f /tmp/ready"],
                                "periodSeconds":1,"failureThreshold":1,"successThreshold":1}}}
        """
            .formatted(fixture.image);
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", app);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    await().atMost(READY).until(() -> serving().size() == 2);
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static List<String> serving() {
    List<String> out = new ArrayList<>();
    berth
        .get("/api/v1/apps/web/endpoints")
        .path("items")
        .forEach(e -> out.add(e.path("ip").asText()));
    return out;
  }

  static String ipOf(String instance) {
    for (JsonNode i : berth.get("/api/v1/apps/web/instances").path("items")) {
      if (i.path("id").asText().equals(instance)) {
        return i.path("ip").asText();
      }
    }
    throw new AssertionError("no instance " + instance);
  }

  static String stateOf(String instance) {
    for (JsonNode e : berth.get("/api/v1/apps/web/endpoints?all=true").path("items")) {
      if (e.path("instance").asText().equals(instance)) {
        return e.path("state").asText();
      }
    }
    throw new AssertionError("no endpoint " + instance);
  }

  static Message ask(String name) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress(dnsAddress, 53));
    r.setTimeout(Duration.ofSeconds(5));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  static List<String> dns(String name) throws Exception {
    return ask(name).getSection(Section.ANSWER).stream()
        .map(a -> ((ARecord) a).getAddress().getHostAddress())
        .sorted()
        .toList();
  }

  static ExecResult exec(String instance, String... command) {
    return berth
        .bean(ClusterRegistry.class)
        .require("local")
        .exec(instance, List.of(command), Duration.ofSeconds(20));
  }

  static HttpResponse<String> post(String path) {
    return berth.call("POST", path, null);
  }

  @Test
  @Order(1)
  void discoveryAndDnsGiveTheReadyInstancesWithAddressPortsNodeAndRevision() throws Exception {
    JsonNode e = berth.get("/api/v1/apps/web/endpoints").path("items").get(0);
    assertThat(e.path("ports").path("http").asInt()).isEqualTo(8080);
    assertThat(e.path("node").asText()).isNotBlank();
    assertThat(e.path("revision").asLong()).isEqualTo(1);
    assertThat(e.path("weight").asInt()).isPositive();
    assertThat(e.path("state").asText()).isEqualTo("ready");

    List<String> both = List.of(ipOf("web-0"), ipOf("web-1")).stream().sorted().toList();
    assertThat(serving()).containsExactlyInAnyOrderElementsOf(both);
    assertThat(dns("web.default.berth.")).isEqualTo(both);
    assertThat(dns("web-1.web.default.berth.")).containsExactly(ipOf("web-1"));
    assertThat(ask("nothing.default.berth.").getRcode()).isEqualTo(Rcode.NXDOMAIN);
    Message other = ask("web.default.example.");
    assertThat(other.getRcode()).as("forwarding is off in this test").isEqualTo(Rcode.REFUSED);
    assertThat(other.getSection(Section.ANSWER)).as("never a Berth address").isEmpty();
  }

  @Test
  @Order(2)
  void containersResolveBerthsNamesThroughTheBridge() {
    ExecResult r = exec("web-0", "busybox", "nslookup", "web-1.web.default.berth");
    assertThat(r.output()).contains(ipOf("web-1"));
    assertThat(exec("web-0", "cat", "/etc/resolv.conf").output())
        .contains("nameserver " + dnsAddress);
  }

  @Test
  @Order(3)
  void discoveryAndDnsFollowReadinessAsItFlaps() throws Exception {
    String ip0 = ipOf("web-0");
    String ip1 = ipOf("web-1");
    assertThat(exec("web-1", "rm", "/tmp/ready").exitCode()).isZero();
    await().atMost(READY).until(() -> serving().equals(List.of(ip0)));
    assertThat(dns("web.default.berth.")).containsExactly(ip0);
    assertThat(ask("web-1.web.default.berth.").getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(stateOf("web-1")).isEqualTo("unready");

    assertThat(exec("web-1", "touch", "/tmp/ready").exitCode()).isZero();
    await().atMost(READY).until(() -> serving().size() == 2);
    assertThat(dns("web.default.berth.")).containsExactlyInAnyOrder(ip0, ip1);
  }

  @Test
  @Order(4)
  void anOfflineInstanceKeepsRunningLeavesDiscoveryAndDnsAndTheWatchSeesIt() throws Exception {
    String ip0 = ipOf("web-0");
    String ip1 = ipOf("web-1");
    try (EventReader watch = EventReader.open("/api/v1/apps/web/endpoints?watch=true")) {
      assertThat(watch.next().path("items")).hasSize(2);

      HttpResponse<String> r = post("/api/v1/apps/web/instances/web-0/offline");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(BerthServer.json(r.body()).path("state").asText()).isEqualTo("offline");

      JsonNode change = watch.next();
      while (change.path("items").size() == 2) {
        change = watch.next(); // a change that came before the offline one
      }
      assertThat(change.path("items")).hasSize(1);
      assertThat(change.path("items").get(0).path("ip").asText()).isEqualTo(ip1);
    }
    assertThat(serving()).containsExactly(ip1);
    assertThat(dns("web.default.berth.")).containsExactly(ip1);
    assertThat(ask("web-0.web.default.berth.").getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(stateOf("web-0")).isEqualTo("offline");
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              JsonNode i = berth.get("/api/v1/apps/web/instances").path("items").get(0);
              assertThat(i.path("online").asBoolean()).as(i.toString()).isFalse();
              assertThat(i.path("state").asText()).isEqualTo("running");
            });
    assertThat(exec("web-0", "wget", "-q", "-O", "-", "http://" + ip0 + ":8080/").output())
        .as("it keeps running and answers when asked directly")
        .contains("traffic");
    assertThat(berth.get("/api/v1/events?object=web-0&limit=50").path("items").toString())
        .contains("Offline");
  }

  @Test
  @Order(5)
  void offlineSurvivesABerthRestartAndOnlineBringsTheInstanceBack() throws Exception {
    String ip1 = ipOf("web-1");
    assertThat(weigh("web-1", "{\"weight\": 40}").statusCode()).isEqualTo(200);
    berth.stop();
    berth.start();
    await().atMost(READY).until(() -> stateOf("web-1").equals("ready"));
    assertThat(stateOf("web-0")).isEqualTo("offline");
    assertThat(weightOf("web-1")).as("a weight survives a Berth restart").isEqualTo(40);
    assertThat(weigh("web-1", "{\"weight\": 100}").statusCode()).isEqualTo(200);
    assertThat(serving()).containsExactly(ip1);
    assertThat(dns("web.default.berth.")).containsExactly(ip1);

    HttpResponse<String> r = post("/api/v1/apps/web/instances/web-0/online");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(serving()).hasSize(2);
    assertThat(dns("web.default.berth.")).hasSize(2);
  }

  @Test
  @Order(6)
  void aMissingInstanceIs404() {
    HttpResponse<String> r = post("/api/v1/apps/web/instances/web-9/offline");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    assertThat(post("/api/v1/apps/nope/instances/nope-0/online").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(7)
  void aLongPollAnswersWithTheNextChange() throws Exception {
    HttpResponse<String> now = berth.call("GET", "/api/v1/apps/web/endpoints", null);
    String version = now.headers().firstValue("ETag").orElseThrow().replace("\"", "");
    assertThat(BerthServer.json(now.body()).path("items")).hasSize(2);
    HttpRequest poll =
        HttpRequest.newBuilder(berth.uri("/api/v1/apps/web/endpoints?version=" + version))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .GET()
            .build();
    var answer = berth.http().sendAsync(poll, HttpResponse.BodyHandlers.ofString());

    assertThat(post("/api/v1/apps/web/instances/web-1/offline").statusCode()).isEqualTo(200);
    HttpResponse<String> changed = answer.get(30, TimeUnit.SECONDS);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(BerthServer.json(changed.body()).path("items")).hasSize(1);
    assertThat(changed.headers().firstValue("ETag").orElseThrow())
        .isNotEqualTo("\"" + version + "\"");
    assertThat(post("/api/v1/apps/web/instances/web-1/online").statusCode()).isEqualTo(200);
  }

  static int weightOf(String instance) {
    for (JsonNode e : berth.get("/api/v1/apps/web/endpoints").path("items")) {
      if (e.path("instance").asText().equals(instance)) {
        return e.path("weight").asInt();
      }
    }
    throw new AssertionError("no serving endpoint " + instance);
  }

  static HttpResponse<String> weigh(String instance, String body) {
    return berth.call("PUT", "/api/v1/apps/web/instances/" + instance + "/weight", body);
  }

  @Test
  @Order(8)
  void aWeightReachesDiscoveryAndItsWatchAndWeightZeroStaysReadyAndInDns() throws Exception {
    assertThat(weightOf("web-0")).isEqualTo(100);
    try (EventReader watch = EventReader.open("/api/v1/apps/web/endpoints?watch=true")) {
      watch.next();
      HttpResponse<String> r = weigh("web-0", "{\"weight\": 30}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(BerthServer.json(r.body()).path("weight").asInt()).isEqualTo(30);
      assertThat(BerthServer.json(r.body()).path("changed").asBoolean()).isTrue();

      JsonNode change = watch.next();
      while (!change.toString().contains("\"weight\":30")) {
        change = watch.next(); // a change that came before the weight
      }
    }
    assertThat(weightOf("web-0")).isEqualTo(30);
    assertThat(weightOf("web-1")).isEqualTo(100);
    assertThat(berth.get("/api/v1/events?object=web-0&limit=50").path("items").toString())
        .contains("WeightChanged");

    assertThat(weigh("web-1", "{\"weight\": 0}").statusCode()).isEqualTo(200);
    assertThat(stateOf("web-1")).as("weight 0 is not offline").isEqualTo("ready");
    assertThat(weightOf("web-1")).isZero();
    assertThat(dns("web.default.berth.")).contains(ipOf("web-1"));

    assertThat(weigh("web-1", "{\"weight\": 100}").statusCode()).isEqualTo(200);
    assertThat(weightOf("web-1")).isEqualTo(100);
  }

  @Test
  @Order(9)
  void aBadWeightIs400NamingWeightAndAMissingInstance404() {
    for (String body :
        List.of(
            "{\"weight\": 101}",
            "{\"weight\": -1}",
            "{\"weight\": 2.5}",
            "{\"weight\": \"x\"}",
            "{}")) {
      HttpResponse<String> r = weigh("web-0", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
      assertThat(BerthServer.json(r.body()).path("errors").get(0).path("field").asText())
          .isEqualTo("weight");
    }
    assertThat(weigh("web-9", "{\"weight\": 50}").statusCode()).isEqualTo(404);
    assertThat(weightOf("web-0")).as("nothing changed by the refused ones").isEqualTo(30);
  }

  /** Reads the data of server-sent events from a stream, one JSON at a time. */
  static final class EventReader implements AutoCloseable {
    private final InputStream body;
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();

    private EventReader(InputStream body) {
      this.body = body;
      Thread.ofVirtual().start(this::read);
    }

    static EventReader open(String path) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(berth.uri(path))
              .header("Authorization", "Bearer " + BerthServer.TOKEN)
              .header("Accept", "text/event-stream")
              .GET()
              .build();
      HttpResponse<InputStream> r =
          berth.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      return new EventReader(r.body());
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("data:")) {
            data.add(line.substring(5).strip());
          }
        }
      } catch (Exception e) {
        // closed
      }
    }

    JsonNode next() throws InterruptedException {
      String d = data.poll(30, TimeUnit.SECONDS);
      assertThat(d).as("an endpoints event within 30 s").isNotNull();
      return BerthServer.json(d);
    }

    @Override
    public void close() throws Exception {
      body.close();
    }
  }
}
