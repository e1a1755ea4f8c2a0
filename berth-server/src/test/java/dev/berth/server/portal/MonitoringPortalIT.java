package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Monitoring in the portal, in headless Chromium against a real Berth whose collectors measure a
 * real app every 2 s: the app page charts its instances' CPU, memory against the limit, restarts
 * and processes; the Nodes page shows requested, used and allocatable side by side; a node's page
 * shows its headroom and host charts; an inspection names a registry that stopped answering.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringPortalIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static PortalFixture fixture;
  static BerthServer berth;
  static String node;

  Page page;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        PortalFixture.start(
            175,
            "hello from a measured app",
            Map.of("berth.metrics.interval", "2s", "berth.inspection.interval", "0s"));
    berth = fixture.berth;
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"web","image":"%s","ports":[{"name":"http","port":8080}],
             "resources":{"cpu":0.25,"memoryMiB":48},"instances":2}"""
                .formatted(fixture.image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> berth.get("/api/v1/apps/web").path("status").path("ready").asInt() == 2);
    node = berth.get("/api/v1/nodes?cluster=local").path("items").get(0).path("name").asText();
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  @BeforeEach
  void openPage() {
    page = fixture.newPage();
    PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
  }

  @AfterEach
  void closePage(TestInfo test) {
    Browser.screenshot(page, "monitoring-" + test.getTestMethod().orElseThrow().getName());
    page.context().close();
  }

  /** Waits until the chart's data has at least two points (the collectors measured twice). */
  void awaitPoints(String query) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              JsonNode c = JSON.readTree(page.request().get("/charts/data?" + query).text());
              return c.path("x").size() >= 2;
            });
  }

  @Test
  @Order(1)
  void theAppPageChartsEachInstancesMemoryAgainstItsLimitAndCpuRestartsAndProcesses() {
    awaitPoints("scope=app&app=web&chart=memory");
    awaitPoints("scope=app&app=web&chart=cpu");
    page.navigate("/apps/web");

    Locator memory = page.locator("figure[data-chart=memory]");
    assertThat(memory.locator("figcaption")).hasText("Memory against limit");
    assertThat(memory.locator("canvas")).hasCount(1);
    assertThat(memory.locator(".u-legend")).containsText("web-0 working set");
    assertThat(memory.locator(".u-legend")).containsText("web-1 working set");
    assertThat(memory.locator(".u-legend")).containsText("web-0 limit");
    // The legend shows the limit the app asked for: 48 MiB.
    memory.locator(".u-over").hover();
    assertThat(memory.locator(".u-legend")).containsText("48 MiB");
    assertThat(page.locator("figure[data-chart=cpu] canvas")).hasCount(1);
    assertThat(page.locator("figure[data-chart=cpu] .u-legend")).containsText("web-1");
    assertThat(page.locator("figure[data-chart=restarts] .u-legend"))
        .containsText("web-0 OOM kill");
    assertThat(page.locator("figure[data-chart=pids] canvas")).hasCount(1);
    assertThat(page.locator(".chart-area.unavailable")).hasCount(0);
    Browser.screenshot(page, "monitoring-app-page");

    page.locator("tr[data-instance=web-1]").getByRole(AriaRole.LINK).first().click();
    assertThat(page).hasURL(Pattern.compile(".*/apps/web/instances/web-1$"));
    assertThat(page.locator("figure[data-chart=memory] .u-legend"))
        .containsText("web-1 working set");
    assertThat(page.locator("figure[data-chart=memory] .u-legend")).not().containsText("web-0");
  }

  @Test
  @Order(2)
  void theNodesPageShowsRequestedUsedAndAllocatableSideBySide() throws Exception {
    awaitPoints("scope=node&cluster=local&node=" + node + "&chart=cpu");
    JsonNode n = berth.get("/api/v1/nodes?cluster=local").path("items").get(0);
    // Two instances guaranteed 0.25 cores and 48 MiB each.
    assertThat(n.path("requested").path("cpu").asDouble()).isEqualTo(0.5);
    assertThat(n.path("requested").path("memoryMiB").asLong()).isEqualTo(96);
    assertThat(n.path("used").path("memoryMiB").asLong()).isPositive();
    assertThat(n.path("used").path("cpu").isNumber()).as(n.toString()).isTrue();
    assertThat(n.path("allocatable").path("memoryMiB").asLong())
        .isGreaterThan(n.path("used").path("memoryMiB").asLong());

    page.navigate("/nodes");
    Locator row = page.locator("tr[data-node='" + node + "']");
    assertThat(row.locator("[data-col=cpu-requested]")).hasText("0.50");
    assertThat(row.locator("[data-col=memory-requested]")).hasText("96");
    assertThat(row.locator("[data-col=memory-used]")).hasText(Pattern.compile("^\\d+$"));
    assertThat(row.locator("[data-col=cpu-used]")).hasText(Pattern.compile("^\\d+\\.\\d\\d$"));
    assertThat(row.locator("[data-col=memory-allocatable]"))
        .hasText(Long.toString(n.path("allocatable").path("memoryMiB").asLong()));
    Browser.screenshot(page, "monitoring-nodes-page");

    row.getByRole(AriaRole.LINK).first().click();
    assertThat(page).hasURL(Pattern.compile(".*/nodes/local/.+"));
    Locator memory = page.locator("#headroom tr[data-resource=Memory]");
    assertThat(memory).containsText("96 MiB");
    assertThat(page.locator("#headroom tr[data-resource='Conntrack entries'] td").nth(5))
        .hasText(Pattern.compile("\\d+\\.\\d %"));
    assertThat(page.locator("figure[data-chart=conntrack] canvas")).hasCount(1);
    assertThat(page.locator("figure[data-chart=images] canvas")).hasCount(1);
  }

  @Test
  @Order(3)
  void anInspectionNamesARegistryThatStoppedAnswering() {
    String url;
    try (TestRegistry doomed = TestRegistry.start()) {
      url = doomed.url();
      HttpResponse<String> added =
          berth.call("POST", "/api/v1/registries", "{\"name\":\"doomed\",\"url\":\"" + url + "\"}");
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }

    page.navigate("/clusters/local");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Inspections")).click();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Inspect now")).click();

    assertThat(page).hasURL(Pattern.compile(".*/clusters/local/inspections/\\d+$"));
    assertThat(page.locator("#inspection-result")).hasText("failed");
    Locator doomedRow = page.locator("#findings tr[data-item=doomed]");
    assertThat(doomedRow).hasAttribute("data-status", "fail");
    assertThat(doomedRow).containsText("registry unreachable at " + url);
    assertThat(page.locator("#findings tr[data-check=node-ready][data-status=ok]")).hasCount(1);
    assertThat(page.locator("#findings tr[data-item=web][data-status=ok]")).hasCount(1);
    assertThat(page.locator("#findings tr[data-check=conntrack]")).hasCount(1);
    Browser.screenshot(page, "monitoring-inspection-report");

    page.locator("a", new Page.LocatorOptions().setHasText("Inspection history")).click();
    assertThat(page.locator("#inspections tbody tr")).hasCount(1);
    assertThat(page.locator("#inspections tbody tr")).containsText("failed");

    JsonNode events = berth.get("/api/v1/events?object=local");
    assertThat(events.path("items").toString())
        .contains("InspectionFailed")
        .contains("registry unreachable at " + url);
  }
}
