package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Node actions in the portal, in headless Chromium against a real Berth: an admin cordons and
 * uncordons the node from the Nodes page, a bad drain deadline is refused with its reason, and a
 * drain's page shows its progress live — an instance waiting on its app's disruption budget with
 * that reason, then every instance evicted and the drain succeeded, without a reload.
 */
class NodePortalIT {
  static PortalFixture fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(194, "node portal");
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    if (berth != null) {
      String node = berth.get("/api/v1/nodes").at("/items/0/name").asText();
      berth.call("POST", "/api/v1/clusters/local/nodes/" + node + "/uncordon", null);
    }
    PortalFixture.close(fixture);
  }

  static Locator button(Locator row, String name) {
    return row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name));
  }

  @Test
  void anAdminCordonsAndDrainsTheNodeAndWatchesTheDrainLive() {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"pair","image":"%s","instances":2,"command":["sleep","3600"]}"""
                .formatted(fixture.image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String node = berth.get("/api/v1/nodes").at("/items/0/name").asText();
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/nodes");
      Locator row = page.locator("tr[data-node='" + node + "']");
      button(row, "Cordon").click();
      assertThat(page.locator(".flash.notice")).containsText("Node " + node + " cordoned");
      assertThat(button(row, "Uncordon")).isVisible();
      assertThat(berth.get("/api/v1/nodes").at("/items/0/schedulable").asBoolean()).isFalse();
      button(row, "Uncordon").click();
      assertThat(page.locator(".flash.notice")).containsText("Node " + node + " uncordoned");

      row.getByLabel("Deadline").fill("soon");
      button(row, "Drain").click();
      assertThat(page.locator(".flash.failure")).containsText("must be a duration such as 30s");

      page.waitForCondition(
          () ->
              berth.get("/api/v1/apps/pair/instances").path("items").size() == 2
                  && berth.get("/api/v1/apps/pair/instances").at("/items/1/ready").asBoolean());
      row.getByLabel("Deadline").fill("5m");
      button(row, "Drain").click();
      assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/nodes/local/.*/drain$"));
      assertThat(page.locator("#drain-instances"))
          .containsText(
              "disruption budget of app pair allows no more unavailable instances",
              new LocatorAssertions.ContainsTextOptions().setTimeout(PortalFixture.WAIT_MS));
      Browser.screenshot(page, "node-drain-blocked");
      assertThat(page.locator("#drain-state"))
          .hasText(
              "succeeded",
              new LocatorAssertions.HasTextOptions().setTimeout(PortalFixture.WAIT_MS));
      assertThat(page.locator("#drain-instances tr[data-instance='pair-0']"))
          .containsText("evicted");
      assertThat(page.locator("#drain-instances tr[data-instance='pair-1']"))
          .containsText("evicted");
      Browser.screenshot(page, "node-drain-succeeded");
    } finally {
      page.close();
    }
  }
}
