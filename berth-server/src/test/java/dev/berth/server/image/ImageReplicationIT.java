package dev.berth.server.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.ImageReference;
import dev.berth.oci.OciImageStore;
import dev.berth.oci.PreparedImage;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.registry.RegistryFront;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestImages.PushedImage;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.it.BerthServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The image centre against real registries: a source registry whose notifications point at Berth,
 * two targets, browsing, replication on push, repair by the periodic sync, pull-through, metrics,
 * and a guarded registry whose password must never come back. The local cluster is off: no
 * containers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageReplicationIT {
  static final String PASSWORD = "registry-pa55word-never-shown";
  static BerthServer berth;
  static TestRegistry source;
  static TestRegistry dc2;
  static TestRegistry dc3;
  static RegistryFront guarded;
  static RegistryClient client;
  static Path log;
  static final String BRIDGE = "berthit141";
  static TestRegistry listed;
  static TestRegistry unlisted;

  @BeforeAll
  static void start() throws Exception {
    Path data = Files.createTempDirectory("berth-it-10-");
    log = data.resolve("berth.log");
    // Two plain-HTTP registries on a non-loopback address of a bridge made here; only one is
    // listed.
    run("ip", "link", "del", BRIDGE);
    for (String[] c :
        new String[][] {
          {"ip", "link", "add", BRIDGE, "type", "bridge"},
          {"ip", "addr", "add", "10.203.141.1/32", "dev", BRIDGE},
          {"ip", "link", "set", BRIDGE, "up"}
        }) {
      assertThat(run(c)).as(String.join(" ", c)).isZero();
    }
    listed = TestRegistry.startOn("10.203.141.1");
    unlisted = TestRegistry.startOn("10.203.141.1");
    berth =
        new BerthServer(data, "berthit10", "10.203.10.0/24", "berth-it10")
            .with("berth.local.enabled", "false")
            .with("berth.images.sync-interval", "2s")
            .with("berth.images.retry-backoff", "100ms")
            .with("logging.file.name", log.toString())
            .with("berth.local.insecure-registries", listed.host())
            .start();
    source =
        TestRegistry.startNotifying(
            berth.baseUrl() + "/api/v1/registries/src/events",
            Map.of("Authorization", "Bearer " + BerthServer.TOKEN));
    dc2 = TestRegistry.start();
    dc3 = TestRegistry.start();
    guarded = new RegistryFront(dc3.host());
    guarded.auth = RegistryFront.Auth.BASIC;
    guarded.password = PASSWORD;
    client = RegistryClient.anonymous();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c :
        new AutoCloseable[] {
          client,
          guarded,
          source,
          dc2,
          dc3,
          listed,
          unlisted,
          berth,
          () -> run("ip", "link", "del", BRIDGE)
        }) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.err.println("cannot close " + c + ": " + e);
      }
    }
  }

  static HttpResponse<String> post(String path, String body) {
    return berth.call("POST", path, body);
  }

  static void addRegistry(String name, TestRegistry r) {
    HttpResponse<String> res =
        post("/api/v1/registries", "{\"name\":\"" + name + "\",\"url\":\"" + r.url() + "\"}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
  }

  static Optional<String> digestIn(TestRegistry r, String repoAndTag) {
    return client.findManifest(ImageReference.parse(r.host() + "/" + repoAndTag));
  }

  @Test
  @Order(1)
  void registriesAreAddedAfterAConnectionCheckAndAPasswordNeverComesBack() throws Exception {
    addRegistry("src", source);
    addRegistry("dc2", dc2);
    addRegistry("dc3", dc3);

    HttpResponse<String> wrong =
        post(
            "/api/v1/registries",
            "{\"name\":\"guarded\",\"url\":\"http://"
                + guarded.host()
                + "\",\"username\":\"berth\",\"password\":\"not-it\"}");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(BerthServer.json(wrong.body()).at("/errors/0/field").asText()).isEqualTo("password");

    HttpResponse<String> added =
        post(
            "/api/v1/registries",
            "{\"name\":\"guarded\",\"url\":\"http://"
                + guarded.host()
                + "\",\"username\":\"berth\",\"password\":\""
                + PASSWORD
                + "\"}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(BerthServer.json(added.body()).path("hasPassword").asBoolean()).isTrue();
    assertThat(
            BerthServer.json(post("/api/v1/registries/guarded/test", null).body())
                .path("ok")
                .asBoolean())
        .isTrue();

    String list = berth.call("GET", "/api/v1/registries", null).body();
    String one = berth.call("GET", "/api/v1/registries/guarded", null).body();
    String page = html("/images");
    assertThat(list).contains("guarded").doesNotContain(PASSWORD);
    assertThat(one).contains("berth").doesNotContain(PASSWORD);
    assertThat(page).contains("guarded").doesNotContain(PASSWORD);
    assertThat(Files.readString(log)).contains("registry guarded added").doesNotContain(PASSWORD);
  }

  @Test
  @Order(2)
  void aPushAppearsInEveryTargetWithTheSameDigestRecordedAsAJob() {
    PushedImage early =
        TestImages.busybox().page("early").push(client, source.host() + "/team-a/early:1");
    HttpResponse<String> rule =
        post(
            "/api/v1/replications",
            """
        {"name":"team-a","sourceRegistry":"src","filter":"team-a/*","targets":[{"registry":"dc2"},{"registry":"dc3","namespace":"mirror"}]}""");
    assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);

    PushedImage web =
        TestImages.busybox().page("web 1").push(client, source.host() + "/team-a/web:1");
    TestImages.busybox().page("elsewhere").push(client, source.host() + "/team-b/web:1");

    await("team-a/web:1 in both targets")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(digestIn(dc2, "team-a/web:1")).contains(web.digest());
              assertThat(digestIn(dc3, "mirror/team-a/web:1")).contains(web.digest());
            });
    JsonNode jobs = berth.get("/api/v1/replications/team-a/jobs").path("items");
    assertThat(jobs.findValues("state")).isNotEmpty();
    JsonNode pushJob = null;
    for (JsonNode j : jobs) {
      if (j.path("trigger").asText().equals("push")
          && j.path("target").asText().equals(dc2.host() + "/team-a/web:1")) {
        pushJob = j;
      }
    }
    assertThat(pushJob).as("push job for dc2 in " + jobs).isNotNull();
    assertThat(pushJob.path("state").asText()).isEqualTo("succeeded");
    assertThat(pushJob.path("digest").asText()).isEqualTo(web.digest());
    assertThat(pushJob.path("latencyMs").isNumber()).isTrue();
    System.out.printf(
        "push-to-replicated latency of team-a/web:1 to dc2: %d ms%n",
        pushJob.path("latencyMs").asLong());
    assertThat(digestIn(dc2, "team-b/web:1")).as("outside the filter").isEmpty();

    await("the image pushed before the rule, copied by the periodic sync")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(digestIn(dc2, "team-a/early:1")).contains(early.digest()));
  }

  @Test
  @Order(3)
  void thePeriodicSyncRepairsWhatAMissedNotificationLeftBehind() throws Exception {
    String digest = digestIn(dc2, "team-a/web:1").orElseThrow();
    HttpResponse<Void> deleted =
        berth
            .http()
            .send(
                HttpRequest.newBuilder(URI.create(dc2.url() + "/v2/team-a/web/manifests/" + digest))
                    .DELETE()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(deleted.statusCode()).isEqualTo(202);
    assertThat(digestIn(dc2, "team-a/web:1")).isEmpty();

    await("the sync to put team-a/web:1 back")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(digestIn(dc2, "team-a/web:1")).contains(digest));
    JsonNode jobs = berth.get("/api/v1/replications/team-a/jobs").path("items");
    boolean syncJob = false;
    for (JsonNode j : jobs) {
      syncJob |=
          j.path("trigger").asText().equals("sync")
              && j.path("target").asText().equals(dc2.host() + "/team-a/web:1");
    }
    assertThat(syncJob).as("a sync job in " + jobs).isTrue();
  }

  @Test
  @Order(4)
  void browsingListsRepositoriesAndTagsNewestFirstByImageCreationTime() {
    TestImages.busybox()
        .page("old")
        .created("2023-05-01T00:00:00Z")
        .push(client, source.host() + "/team-a/app:zzz-old");
    TestImages.busybox()
        .page("new")
        .created("2025-07-01T12:00:00Z")
        .push(client, source.host() + "/team-a/app:aaa-new");
    TestImages.busybox()
        .page("mid")
        .created("2024-02-01T00:00:00Z")
        .push(client, source.host() + "/team-a/app:mid");

    JsonNode repos = berth.get("/api/v1/images?registry=src&q=team-a/&size=2");
    assertThat(repos.path("items")).hasSize(2);
    JsonNode tags = berth.get("/api/v1/images/tags?registry=src&repository=team-a/app");
    assertThat(tags.path("newest").asText()).isEqualTo("aaa-new");
    assertThat(tags.path("tags").findValuesAsText("tag"))
        .containsExactly("aaa-new", "mid", "zzz-old");
    assertThat(tags.at("/tags/0/created").asText()).isEqualTo("2025-07-01T12:00:00Z");
    assertThat(tags.at("/tags/0/size").asLong()).isPositive();
    JsonNode detail =
        berth
            .get("/api/v1/images/manifests?registry=src&repository=team-a/app&reference=mid")
            .path("detail");
    assertThat(detail.at("/images/0/platform/architecture").asText()).isEqualTo("amd64");
    assertThat(detail.at("/images/0/layers")).hasSize(1);

    HttpResponse<String> missing =
        berth.call("GET", "/api/v1/images/tags?registry=src&repository=team-a/none", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
    assertThat(berth.get("/api/v1/images/team-a/app/tags?registry=src").path("newest").asText())
        .as("the repository in the path, as before")
        .isEqualTo("aaa-new");
  }

  @Test
  @Order(5)
  void theLocalRuntimePullsThroughFromTheOriginWhatItsRegistryLacks() {
    HttpResponse<String> rule =
        post(
            "/api/v1/replications",
            "{\"name\":\"lazy\",\"sourceRegistry\":\"src\",\"filter\":\"lazy/*\",\"targets\":[{\"registry\":\"dc2\"}],\"enabled\":false}");
    assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
    TestImages.busybox().page("only at the origin").push(client, source.host() + "/lazy/web:1");

    PreparedImage image = berth.bean(OciImageStore.class).prepare(dc2.host() + "/lazy/web:1");

    assertThat(image.rootfs().resolve("www/index.html")).hasContent("only at the origin");
    assertThat(digestIn(dc2, "lazy/web:1")).as("a disabled rule copies nothing").isEmpty();
  }

  @Test
  @Order(5)
  void aPullThroughFromAGuardedOriginUsesItsStoredCredentialsAndQueuesACopyToTheReplica()
      throws Exception {
    // The replica refuses blob uploads for now: neither the periodic sync nor the queued copy can
    // fill
    // it first, so the pull below must go through to the origin. The origin asks for the password
    // stored with the 'guarded' registry; an anonymous pull would get 401.
    try (RegistryFront replica = new RegistryFront(dc2.host())) {
      replica.failUploadsWith = 507;
      HttpResponse<String> added =
          post(
              "/api/v1/registries",
              "{\"name\":\"replica\",\"url\":\"http://" + replica.host() + "\"}");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      HttpResponse<String> rule =
          post(
              "/api/v1/replications",
              "{\"name\":\"lent\",\"sourceRegistry\":\"guarded\",\"filter\":\"lent/*\",\"targets\":[{\"registry\":\"replica\"}]}");
      assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
      PushedImage pushed =
          TestImages.busybox().page("behind a password").push(client, dc3.host() + "/lent/web:1");
      try (RegistryClient anonymous = RegistryClient.anonymous()) {
        assertThatThrownBy(
                () -> anonymous.findManifest(ImageReference.parse(guarded.host() + "/lent/web:1")))
            .as("the origin is closed to anonymous pulls")
            .hasMessageContaining("requires credentials");
      }

      PreparedImage image = berth.bean(OciImageStore.class).prepare(replica.host() + "/lent/web:1");

      assertThat(image.rootfs().resolve("www/index.html")).hasContent("behind a password");
      await("a pull-through job for the replica")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode jobs = berth.get("/api/v1/replications/lent/jobs");
                assertThat(jobs.findParents("trigger"))
                    .as(jobs.toString())
                    .anyMatch(
                        j ->
                            j.path("trigger").asText().equals("pull-through")
                                && j.path("target")
                                    .asText()
                                    .equals(replica.host() + "/lent/web:1"));
              });
      replica.failUploadsWith = 0;
      await("the replica to get the copy")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(client.findManifest(ImageReference.parse(dc2.host() + "/lent/web:1")))
                      .contains(pushed.digest()));
      assertThat(berth.call("DELETE", "/api/v1/replications/lent", null).statusCode())
          .isIn(200, 204);
    }
  }

  @Test
  @Order(6)
  void replicationMetricsAreOnThePrometheusEndpoint() {
    String metrics = berth.call("GET", "/actuator/prometheus", null).body();
    assertThat(metrics).contains("berth_replication_jobs_total{result=\"succeeded\"}");
    assertThat(metrics).contains("berth_replication_latency_seconds_bucket");
    assertThat(metrics).contains("berth_replication_duration_seconds_count");
  }

  @Test
  @Order(7)
  void removingARegistryNeedsItsNameTypedAndNoRuleUsingIt() {
    HttpResponse<String> unconfirmed = berth.call("DELETE", "/api/v1/registries/dc2", null);
    assertThat(unconfirmed.statusCode()).isEqualTo(428);
    assertThat(BerthServer.json(unconfirmed.body()).at("/errors/0/field").asText())
        .isEqualTo("confirm");
    assertThat(BerthServer.json(unconfirmed.body()).at("/errors/0/message").asText())
        .contains("must be 'dc2'");
    assertThat(BerthServer.json(unconfirmed.body()).path("detail").asText())
        .contains("removing registry 'dc2'");
    assertThat(berth.call("DELETE", "/api/v1/registries/dc2?confirm=dc3", null).statusCode())
        .isEqualTo(428);
    assertThat(berth.call("DELETE", "/api/v1/registries/dc2?confirm=dc2", null).statusCode())
        .isEqualTo(409);
    assertThat(
            berth.call("DELETE", "/api/v1/registries/guarded?confirm=guarded", null).statusCode())
        .isEqualTo(204);
    assertThat(berth.call("GET", "/api/v1/registries/guarded", null).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(6)
  void aNonLoopbackPlainHttpRegistryServesTheLocalRuntimeOnlyWhenListedInInsecureRegistries() {
    try (RegistryClient plain =
        RegistryClient.builder()
            .insecureRegistries(java.util.List.of(listed.host(), unlisted.host()))
            .build()) {
      TestImages.busybox().page("listed").push(plain, listed.host() + "/team/web:1");
      TestImages.busybox().page("unlisted").push(plain, unlisted.host() + "/team/web:1");
    }
    OciImageStore images = berth.bean(OciImageStore.class);

    assertThat(images.prepare(listed.host() + "/team/web:1").rootfs().resolve("www/index.html"))
        .hasContent("listed");
    assertThatThrownBy(() -> images.prepare(unlisted.host() + "/team/web:1"))
        .as("spoken to over HTTPS")
        .hasMessageContaining("plaintext connection");
  }

  static int run(String... command) throws java.io.IOException, InterruptedException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  static String html(String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(berth.uri(path))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .header("Accept", "text/html")
            .build();
    HttpResponse<String> res = berth.http().send(r, HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res.body();
  }
}
