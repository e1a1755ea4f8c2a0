package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * QoS classes, the local node's details and machine pools against a real Berth with the local
 * cluster: a chosen class is shown on the app, its instances and its page, a bad one is refused at
 * {@code resources.qos}; the node view carries limits, instances and headroom; pools are defined,
 * summed, audited and checked in {@code scheduling.pool} of apps and tasks (a task on a pool runs
 * on the local node); the Machine pools page, in headless Chromium, shows the bars and tells how
 * many more instances of an app fit, the task page shows a task's pool, and a run's page and the
 * runs list show the pool the run was placed on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MachinePoolsPortalIT {
  static PortalFixture fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(196, "machine pools");
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  static String app(String name, String resources, String extra) {
    return """
        {"name":"%s","image":"%s","instances":1,"resources":%s,"command":["sleep","3600"]%s}"""
        .formatted(name, fixture.image, resources, extra);
  }

  static JsonNode problem(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    return BerthServer.json(r.body()).path("errors").get(0);
  }

  @Test
  @Order(1)
  void aChosenQosClassIsShownOnTheAppAndItsInstancesAndABadOneIsNamed() {
    JsonNode bad =
        problem(berth.call("POST", "/api/v1/apps", app("bad", "{\"qos\":\"premium\"}", "")));
    assertThat(bad.path("field").asText()).isEqualTo("resources.qos");
    assertThat(bad.path("message").asText()).contains("guaranteed", "burstable", "best-effort");
    JsonNode unequal =
        problem(
            berth.call(
                "POST",
                "/api/v1/apps",
                app("bad", "{\"cpu\":0.2,\"cpuLimit\":0.4,\"qos\":\"guaranteed\"}", "")));
    assertThat(unequal.path("field").asText()).isEqualTo("resources.qos");
    assertThat(berth.call("GET", "/api/v1/apps/bad", null).statusCode()).isEqualTo(404);

    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            app(
                "shop",
                "{\"cpu\":0.2,\"cpuLimit\":0.2,\"memoryMiB\":64,\"qos\":\"guaranteed\"}",
                ""));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode shop = BerthServer.json(created.body());
    assertThat(shop.path("qos").asText()).isEqualTo("guaranteed");
    assertThat(shop.at("/resources/qos").asText()).isEqualTo("guaranteed");

    HttpResponse<String> plain =
        berth.call("POST", "/api/v1/apps", app("plain", "{\"cpu\":0.1,\"memoryMiB\":32}", ""));
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(201);
    assertThat(BerthServer.json(plain.body()).path("qos").asText()).isEqualTo("burstable");
    assertThat(BerthServer.json(plain.body()).at("/resources/qos").asText(null)).isNull();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> berth.get("/api/v1/apps/shop/instances").path("items").size() == 1);
    assertThat(berth.get("/api/v1/apps/shop/instances").at("/items/0/qos").asText())
        .isEqualTo("guaranteed");
  }

  @Test
  @Order(2)
  void theLocalNodeShowsLimitsInstancesAndHeadroom() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                berth.get("/api/v1/nodes?cluster=local").at("/items/0/details/instances").asInt()
                    >= 2);
    JsonNode node = berth.get("/api/v1/nodes?cluster=local").path("items").get(0);
    JsonNode d = node.path("details");
    assertThat(d.at("/limits/cpu").asDouble()).isGreaterThanOrEqualTo(0.2);
    assertThat(d.at("/limits/memoryMiB").asLong()).isGreaterThanOrEqualTo(96);
    assertThat(d.at("/headroom/pods").asInt())
        .isEqualTo(node.at("/allocatable/pods").asInt() - node.at("/requested/pods").asInt());
    assertThat(d.at("/headroom/pids").asLong()).isPositive();
    assertThat(node.at("/requested/cpu").asDouble()).isGreaterThanOrEqualTo(0.3);
  }

  @Test
  @Order(3)
  void poolsAreDefinedSummedCheckedInSpecsAndAudited() {
    HttpResponse<String> all =
        berth.call(
            "POST",
            "/api/v1/clusters/local/pools",
            "{\"name\":\"local-all\",\"selector\":{\"berth.dev/runtime\":\"local\"}}");
    assertThat(all.statusCode()).as(all.body()).isEqualTo(201);
    assertThat(all.headers().firstValue("Location"))
        .hasValue("/api/v1/clusters/local/pools/local-all");
    JsonNode node = berth.get("/api/v1/nodes?cluster=local").path("items").get(0);
    JsonNode pool = BerthServer.json(all.body());
    assertThat(pool.path("nodes").get(0).asText()).isEqualTo(node.path("name").asText());
    assertThat(pool.at("/allocatable/cpu").asDouble())
        .isEqualTo(node.at("/allocatable/cpu").asDouble());

    HttpResponse<String> ssd =
        berth.call(
            "POST",
            "/api/v1/clusters/local/pools",
            "{\"name\":\"ssd\",\"selector\":{\"disk\":\"ssd\"},"
                + "\"taint\":{\"key\":\"dedicated\",\"value\":\"ssd\",\"effect\":\"NoSchedule\"}}");
    assertThat(ssd.statusCode()).as(ssd.body()).isEqualTo(201);
    assertThat(BerthServer.json(ssd.body()).path("nodes")).isEmpty();
    assertThat(
            berth.call("POST", "/api/v1/clusters/local/pools", "{\"name\":\"ssd\"}").statusCode())
        .isEqualTo(409);
    JsonNode badTaint =
        problem(
            berth.call(
                "POST",
                "/api/v1/clusters/local/pools",
                "{\"name\":\"x\",\"taint\":{\"key\":\"k\",\"effect\":\"Sometimes\"}}"));
    assertThat(badTaint.path("field").asText()).isEqualTo("taint.effect");
    assertThat(berth.call("GET", "/api/v1/clusters/nowhere/pools", null).statusCode())
        .isEqualTo(404);

    JsonNode unknown =
        problem(
            berth.call(
                "POST",
                "/api/v1/apps",
                app("placed", "{\"cpu\":0.1}", ",\"scheduling\":{\"pool\":\"nope\"}")));
    assertThat(unknown.path("field").asText()).isEqualTo("scheduling.pool");
    assertThat(unknown.path("message").asText()).contains("known: local-all, ssd");
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/apps",
                    app("placed", "{\"cpu\":0.1}", ",\"scheduling\":{\"pool\":\"local-all\"}"))
                .statusCode())
        .isEqualTo(201);

    JsonNode fit = berth.get("/api/v1/clusters/local/pools/local-all/fit?app=shop");
    assertThat(fit.path("binding").asText()).isEqualTo("cpu");
    int byCpu =
        (int)
            Math.floor(
                (node.at("/allocatable/cpu").asDouble() - node.at("/requested/cpu").asDouble())
                        / 0.2
                    + 1e-9);
    assertThat(fit.at("/perResource/cpu").asInt()).isBetween(byCpu - 1, byCpu);
    assertThat(fit.path("fits").asInt()).isEqualTo(fit.at("/perResource/cpu").asInt());
    assertThat(
            problem(berth.call("GET", "/api/v1/clusters/local/pools/local-all/fit", null))
                .path("field")
                .asText())
        .isEqualTo("app");

    HttpResponse<String> gone = berth.call("DELETE", "/api/v1/clusters/local/pools/ssd", null);
    assertThat(gone.statusCode()).isEqualTo(204);
    assertThat(berth.call("GET", "/api/v1/clusters/local/pools/ssd", null).statusCode())
        .isEqualTo(404);
    assertThat(berth.get("/api/v1/audit?action=pool.create").path("items"))
        .filteredOn(e -> e.path("result").asText().equals("ok"))
        .extracting(e -> e.path("objectName").asText())
        .containsExactlyInAnyOrder("local/local-all", "local/ssd");
    assertThat(berth.get("/api/v1/audit?action=pool.delete").path("items")).hasSize(1);
    assertThat(berth.get("/api/v1/events?object=pool/local-all").path("items"))
        .anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("PoolCreated"));
  }

  @Test
  @Order(4)
  void theMachinePoolsPageShowsBarsAndHowManyMoreFit() {
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Machine pools")).click();
      assertThat(page.locator("#pools tr[data-pool='local-all']")).isVisible();
      assertThat(page.locator("#pools tr[data-pool='local-all'] [data-bar='CPU requested']"))
          .containsText("cores");
      assertThat(page.locator("#pools tr[data-pool='local-all'] .pool-bar-fill").first())
          .hasAttribute("style", java.util.regex.Pattern.compile("width: \\d+%"));
      page.getByLabel("Pool").selectOption(new SelectOption().setValue("local-all"));
      page.getByLabel("App").selectOption(new SelectOption().setValue("shop"));
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Calculate")).click();
      int fits =
          berth.get("/api/v1/clusters/local/pools/local-all/fit?app=shop").path("fits").asInt();
      assertThat(page.locator("#fit-result [data-fits]"))
          .containsText(fits + " more instance(s) of shop fit into local-all; cpu runs out first");
      assertThat(page.locator("#fit-result tr.binding")).containsText("cpu");
      Browser.screenshot(page, "machine-pools");

      page.navigate("/apps/shop");
      assertThat(page.locator("[data-qos]")).hasText("guaranteed (chosen)");
      page.navigate("/apps/plain");
      assertThat(page.locator("[data-qos]")).hasText("burstable (follows from the resources)");
    } finally {
      page.context().close();
    }
  }

  static String task(String name, String extra) {
    return """
        {"name":"%s","image":"%s","command":["sh","-c","echo placed"],"mode":"sync","timeoutSeconds":60%s}"""
        .formatted(name, fixture.image, extra);
  }

  @Test
  @Order(5)
  void aTaskOnAPoolIsCheckedShownAndRunsAndNodeLabelsMustNotContradictThePool() {
    JsonNode unknown =
        problem(
            berth.call(
                "POST",
                "/api/v1/tasks",
                task("placed-job", ",\"scheduling\":{\"pool\":\"nope\"}")));
    assertThat(unknown.path("field").asText()).isEqualTo("scheduling.pool");
    assertThat(unknown.path("message").asText()).contains("known: local-all");
    assertThat(berth.call("GET", "/api/v1/tasks/placed-job", null).statusCode()).isEqualTo(404);

    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/tasks",
            task("placed-job", ",\"scheduling\":{\"pool\":\"local-all\"}"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = BerthServer.json(created.body());
    assertThat(body.at("/scheduling/pool").asText()).isEqualTo("local-all");
    assertThat(body.at("/run/state").asText()).isEqualTo("succeeded");
    assertThat(body.at("/run/logTail").asText()).contains("placed");
    assertThat(berth.get("/api/v1/tasks/placed-job").at("/scheduling/pool").asText())
        .isEqualTo("local-all");

    JsonNode contradicts =
        problem(
            berth.call(
                "POST",
                "/api/v1/apps",
                app(
                    "contradicts",
                    "{\"cpu\":0.1}",
                    ",\"scheduling\":{\"pool\":\"local-all\","
                        + "\"nodeLabels\":{\"berth.dev/runtime\":\"kubernetes\"}}")));
    assertThat(contradicts.path("field").asText())
        .isEqualTo("scheduling.nodeLabels.berth.dev/runtime");
    assertThat(contradicts.path("message").asText()).contains("berth.dev/runtime=local");
  }

  @Test
  @Order(6)
  void theTaskFormChecksThePoolAndTheTaskPageShowsIt() {
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/tasks/new");
      page.getByLabel("Name").fill("placed-form");
      page.getByLabel("Image").fill(fixture.image);
      page.getByLabel("Command").fill("sh -c \"echo placed\"");
      page.getByLabel("Machine pool").fill("nope");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task")).click();
      assertThat(page.locator(".field:has(#pool) .field-error"))
          .containsText("unknown pool 'nope' in cluster 'local'; known: local-all");

      page.getByLabel("Machine pool").fill("local-all");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task")).click();
      assertThat(page.locator(".flash.notice")).containsText("placed-form");
      page.navigate("/tasks");
      assertThat(page.locator("tr[data-task='placed-form'] .pool")).hasText("pool local-all");
      assertThat(page.locator("tr[data-task='placed-job'] .pool")).hasText("pool local-all");
      Browser.screenshot(page, "task-on-a-pool");
    } finally {
      page.context().close();
    }
  }

  @Test
  @Order(7)
  void aRunsPageAndTheRunsListShowThePoolItWasPlacedOn() {
    HttpResponse<String> anywhere = berth.call("POST", "/api/v1/tasks", task("anywhere-job", ""));
    assertThat(anywhere.statusCode()).as(anywhere.body()).isEqualTo(201);
    assertThat(BerthServer.json(anywhere.body()).at("/run/state").asText()).isEqualTo("succeeded");
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/runs/placed-job-1");
      assertThat(page.locator("#run-state")).containsText("succeeded");
      assertThat(page.locator("#run-pool")).hasText("pool local-all");
      Browser.screenshot(page, "run-on-a-pool");
      page.navigate("/runs/anywhere-job-1");
      assertThat(page.locator("#run-pool")).hasText("any node");

      page.navigate("/tasks");
      assertThat(page.locator("tr[data-run='placed-job-1'] .pool")).hasText("pool local-all");
      assertThat(page.locator("tr[data-run='anywhere-job-1']")).isVisible();
      assertThat(page.locator("tr[data-run='anywhere-job-1'] .pool")).hasCount(0);
    } finally {
      page.context().close();
    }
  }
}
