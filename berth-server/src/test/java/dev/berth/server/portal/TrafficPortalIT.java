package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.berth.server.portal.PortalFixture.ADMIN_PASSWORD;
import static dev.berth.server.portal.PortalFixture.WAIT_MS;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app page's endpoints panel in Chromium: every instance with its traffic state, and switches
 * that take one offline (it leaves discovery, the instance keeps running) and put it back online;
 * each instance's weight, which an operator sets there. Screenshots in {@code
 * target/portal-screenshots/}.
 */
class TrafficPortalIT {
  static PortalFixture fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(161, "traffic portal");
    berth = fixture.berth;
    String app =
        """
        {"name":"shop","image":"%s","instances":2,"resources":{"cpu":0.1,"memoryMiB":32},
         "ports":[{"name":"http","port":8080}],
         "health":{"readiness":{"type":"http","port":8080,"path":"/","periodSeconds":1}}}
        """
            .formatted(fixture.image);
    HttpResponse<String> r = berth.call("POST", "/api/v1/apps", app);
    org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  static int weightOf(String instance) {
    for (JsonNode e : berth.get("/api/v1/apps/shop/endpoints?all=true").path("items")) {
      if (e.path("instance").asText().equals(instance)) {
        return e.path("weight").asInt();
      }
    }
    throw new AssertionError("no endpoint " + instance);
  }

  static List<String> serving() {
    List<String> out = new ArrayList<>();
    for (JsonNode e : berth.get("/api/v1/apps/shop/endpoints").path("items")) {
      out.add(e.path("instance").asText());
    }
    return out;
  }

  /** The shop's app page, signed in as admin. */
  static Page shopPage() {
    Page page = fixture.newPage();
    PortalFixture.signIn(page, "admin", ADMIN_PASSWORD);
    page.navigate("/apps/shop");
    return page;
  }

  @Test
  void theEndpointsPanelTakesAnInstanceOfflineAndPutsItBackOnline() {
    Page page = shopPage();
    try {
      Locator panel = page.locator("#endpoints");
      Locator shop0 = panel.locator("tr[data-endpoint=shop-0] .traffic-state");
      Locator shop1 = panel.locator("tr[data-endpoint=shop-1] .traffic-state");
      LocatorAssertions.HasTextOptions slow =
          new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS);
      assertThat(shop0).hasText("ready", slow);
      assertThat(shop1).hasText("ready", slow);
      assertThat(panel).containsText("shop.default.berth");
      Browser.screenshot(page, "endpoints-ready");

      panel.locator("[data-switch=offline-shop-0]").click();
      assertThat(page.locator(".flash.notice")).containsText("shop-0 taken offline");
      assertThat(page.locator("#endpoints tr[data-endpoint=shop-0] .traffic-state"))
          .hasText("offline", slow);
      org.assertj.core.api.Assertions.assertThat(serving()).containsExactly("shop-1");
      Browser.screenshot(page, "endpoints-offline");

      page.locator("#endpoints [data-switch=online-shop-0]").click();
      assertThat(page.locator(".flash.notice")).containsText("shop-0 is online");
      assertThat(page.locator("#endpoints tr[data-endpoint=shop-0] .traffic-state"))
          .hasText("ready", slow);
      org.assertj.core.api.Assertions.assertThat(serving())
          .containsExactlyInAnyOrder("shop-0", "shop-1");
    } finally {
      page.context().close();
    }
  }

  @Test
  void theEndpointsPanelShowsEachWeightAndSetsOne() {
    Page page = shopPage();
    try {
      Locator weight = page.locator("#endpoints input[data-weight=shop-1]");
      assertThat(weight)
          .hasValue("100", new LocatorAssertions.HasValueOptions().setTimeout(WAIT_MS));

      weight.fill("25");
      page.locator("#endpoints [data-set-weight=shop-1]").click();
      assertThat(page.locator(".flash.notice")).containsText("shop-1 weighs 25 (was 100)");
      assertThat(page.locator("#endpoints input[data-weight=shop-1]"))
          .hasValue("25", new LocatorAssertions.HasValueOptions().setTimeout(WAIT_MS));
      org.assertj.core.api.Assertions.assertThat(weightOf("shop-1")).isEqualTo(25);
      Browser.screenshot(page, "endpoints-weight");

      page.locator("#endpoints input[data-weight=shop-1]").fill("100");
      page.locator("#endpoints [data-set-weight=shop-1]").click();
      assertThat(page.locator(".flash.notice")).containsText("shop-1 weighs 100 (was 25)");
      org.assertj.core.api.Assertions.assertThat(weightOf("shop-1")).isEqualTo(100);
    } finally {
      page.context().close();
    }
  }
}
