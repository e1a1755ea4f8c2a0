package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.berth.server.it.BerthServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live CPU and memory changes on the real local runtime (runc, real cgroups): the API changes a
 * running instance's cgroup limits with {@code runc update} while its processes (same PIDs) keep
 * running, as a new revision in the history that says it was resized live (API and the releases
 * page); bad input is refused naming the field; and the resize form of the app page does the same
 * in headless Chromium.
 */
class LiveResizePortalIT {
  static final Duration READY = Duration.ofSeconds(90);
  static PortalFixture fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(214, "live resize");
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  static void running(String name) {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"%s","image":"%s","instances":1,"command":["sleep","3600"],
             "resources":{"cpu":0.1,"memoryMiB":64}}"""
                .formatted(name, fixture.image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/" + name).at("/status/phase").asText())
                    .isEqualTo("Running"));
  }

  /** A file of the instance's cgroup: {@code v2} on the unified hierarchy, else {@code v1}. */
  static Path cgroup(String id, String controller, String v1, String v2) {
    Path root = Path.of("/sys/fs/cgroup");
    String group = berth.cgroupParent() + "/" + id;
    return Files.exists(root.resolve("cgroup.controllers"))
        ? root.resolve(group).resolve(v2)
        : root.resolve(controller).resolve(group).resolve(v1);
  }

  static long memoryLimit(String id) throws IOException {
    return Long.parseLong(
        Files.readString(cgroup(id, "memory", "memory.limit_in_bytes", "memory.max")).strip());
  }

  /** The CPU cap as cores: quota / period (cpu.cfs_quota_us in v1, cpu.max in v2). */
  static double cpuLimit(String id) throws IOException {
    Path v2 = cgroup(id, "cpu", "cpu.cfs_quota_us", "cpu.max");
    if (v2.getFileName().toString().equals("cpu.max")) {
      String[] qp = Files.readString(v2).strip().split(" ");
      return qp[0].equals("max") ? 0 : Double.parseDouble(qp[0]) / Double.parseDouble(qp[1]);
    }
    long quota = Long.parseLong(Files.readString(v2).strip());
    long period = Long.parseLong(Files.readString(v2.resolveSibling("cpu.cfs_period_us")).strip());
    return quota <= 0 ? 0 : (double) quota / period;
  }

  static List<String> pids(String id) throws IOException {
    return Files.readAllLines(cgroup(id, "pids", "cgroup.procs", "cgroup.procs"));
  }

  static JsonNode post(String path, String body, int expected) {
    HttpResponse<String> r = berth.call("POST", path, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
    return BerthServer.json(r.body());
  }

  static List<String> reasons(String app) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/events?object=" + app + "&size=200").path("items")) {
      out.add(e.path("reason").asText());
    }
    return out;
  }

  @Test
  void aLiveResizeChangesTheCgroupOfTheRunningInstanceWhoseProcessesStay() throws Exception {
    running("grow");
    List<String> pidsBefore = pids("grow-0");
    JsonNode before = berth.get("/api/v1/apps/grow/instances").path("items").get(0);
    assertThat(pidsBefore).isNotEmpty();
    assertThat(memoryLimit("grow-0")).isEqualTo(64L << 20);
    assertThat(cpuLimit("grow-0")).isZero();

    JsonNode out = post("/api/v1/apps/grow/resize", "{\"cpuLimit\":0.5,\"memoryMiB\":96}", 200);

    assertThat(out.path("live").asBoolean()).as(out.toString()).isTrue();
    assertThat(out.path("revision").asLong()).isEqualTo(2);
    assertThat(out.at("/resources/memoryMiB").asInt()).isEqualTo(96);
    assertThat(memoryLimit("grow-0")).isEqualTo(96L << 20);
    assertThat(cpuLimit("grow-0")).isEqualTo(0.5);
    assertThat(pids("grow-0")).as("the same processes run on").isEqualTo(pidsBefore);
    JsonNode revisions = berth.get("/api/v1/apps/grow/revisions").path("items");
    assertThat(revisions.get(0).path("number").asLong()).isEqualTo(2);
    assertThat(revisions.get(0).at("/spec/resources/memoryMiB").asInt()).isEqualTo(96);
    assertThat(revisions.get(1).at("/spec/resources/memoryMiB").asInt()).isEqualTo(64);
    assertThat(revisions.get(0).path("change").asText())
        .isEqualTo("resized live: cpuLimit none→0.5, memory 64Mi→96Mi");
    assertThat(
            revisions.get(1).path("change").isNull()
                || revisions.get(1).path("change").isMissingNode())
        .as("the first revision is an ordinary one")
        .isTrue();
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/grow").at("/status/revision").asLong())
                    .isEqualTo(2));
    // the controller has looked at the app again since: it replaced nothing
    JsonNode after = berth.get("/api/v1/apps/grow/instances").path("items").get(0);
    assertThat(after.path("revision").asLong()).isEqualTo(2);
    assertThat(after.path("restarts").asInt()).isZero();
    assertThat(after.path("startedAt").asText()).isEqualTo(before.path("startedAt").asText());
    assertThat(pids("grow-0")).isEqualTo(pidsBefore);
    assertThat(reasons("grow")).contains("ResizedLive", "Resized").doesNotContain("Killing");
    assertThat(berth.get("/api/v1/apps/grow/releases").path("items")).isEmpty();
    JsonNode audit = berth.get("/api/v1/audit?action=app.resize").path("items");
    assertThat(audit).isNotEmpty();
    assertThat(audit.get(0).path("objectName").asText()).isEqualTo("grow");
  }

  @Test
  void nonsenseAndSizesNoNodeHasAreRefusedNamingTheField() {
    running("bad");
    JsonNode zero = post("/api/v1/apps/bad/resize", "{\"memoryMiB\":0,\"cpu\":-1}", 400);
    assertThat(zero.path("errors").findValuesAsText("field"))
        .containsExactlyInAnyOrder("resources.memoryMiB", "resources.cpu");
    JsonNode huge = post("/api/v1/apps/bad/resize", "{\"memoryMiB\":1048576}", 400);
    assertThat(huge.path("errors").get(0).path("field").asText()).isEqualTo("resources.memoryMiB");
    assertThat(huge.path("errors").get(0).path("message").asText()).contains("can allocate");
    post("/api/v1/apps/nothing-here/resize", "{\"memoryMiB\":128}", 404);
    JsonNode described =
        berth
            .get("/api/v1/openapi.json")
            .at("/paths/~1api~1v1~1apps~1{app}~1resize/post/responses");
    assertThat(described.fieldNames())
        .toIterable()
        .contains("200", "400", "401", "403", "404", "409");
    assertThat(berth.get("/api/v1/apps/bad").path("revision").asLong()).isEqualTo(1);
  }

  @Test
  void theResizeFormOfTheAppPageResizesLive() throws Exception {
    running("form");
    List<String> pidsBefore = pids("form-0");
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/apps/form");
      page.getByLabel("Memory (MiB)").fill("80");
      page.locator("#resize-submit").click();
      assertThat(page.locator(".flash.notice")).containsText("resized live");
      assertThat(page.locator("#resize")).containsText("memory 80 MiB (revision 2)");
      Browser.screenshot(page, "live-resize");
      page.navigate("/apps/form/releases");
      assertThat(page.locator("tr[data-revision-row='2'] .revision-change"))
          .hasText("resized live: memory 64Mi→80Mi");
      assertThat(page.locator("tr[data-revision-row='1'] .revision-change")).hasText("");
    } finally {
      page.context().close();
    }
    assertThat(memoryLimit("form-0")).isEqualTo(80L << 20);
    assertThat(pids("form-0")).isEqualTo(pidsBefore);
  }
}
