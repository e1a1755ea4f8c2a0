package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.server.alert.Hooks;
import dev.berth.server.it.BerthServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Alerts page in headless Chromium against a real Berth: a firing alert with its delivery to a
 * webhook, the shipped and a team's rules, the receivers, and silencing the alert from the page,
 * then ending the silence.
 */
class AlertPortalIT {
  static PortalFixture fixture;
  static BerthServer berth;
  static Hooks hook;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(179, "alerts page");
    berth = fixture.berth;
    hook = Hooks.start();
  }

  @AfterAll
  static void stop() {
    try {
      PortalFixture.close(fixture);
    } finally {
      if (hook != null) {
        hook.close();
      }
    }
  }

  @Test
  void theAlertsPageShowsAFiringAlertItsDeliveryTheRulesAndReceiversAndSilencesIt() {
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/receivers",
                    "{\"name\":\"ops-hook\",\"type\":\"webhook\",\"url\":\""
                        + hook.url("/a")
                        + "\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            berth
                .call(
                    "POST",
                    "/api/v1/alert-rules",
                    """
                    {"name":"node-known","metric":"berth_node_ready","op":">=","threshold":0,
                     "for":"0","severity":"info","summary":"The node reports its readiness"}""")
                .statusCode())
        .isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                berth
                        .get("/api/v1/alerts?state=firing")
                        .path("items")
                        .findValuesAsText("rule")
                        .contains("node-known")
                    && !hook.posts.isEmpty());
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Alerts")).click();
      assertThat(page.locator("#alerts tr:has-text('node-known')")).containsText("firing");
      assertThat(page.locator("#alerts tr:has-text('node-known')"))
          .containsText("ops-hook: firing delivered");
      assertThat(page.locator("#rules")).containsText("instance-oom-killed (shipped)");
      assertThat(page.locator("#rules tr:has-text('node-known')"))
          .containsText("berth_node_ready >= 0");
      assertThat(page.locator("#receivers")).containsText("ops-hook");
      Browser.screenshot(page, "alerts-firing");

      page.locator("#alerts tr:has-text('node-known')")
          .getByRole(
              AriaRole.BUTTON,
              new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Silence 2h"))
          .click();
      assertThat(page.locator(".flash.notice")).containsText("Silenced node-known");
      assertThat(page.locator("#alerts tr:has-text('node-known')")).containsText("(silenced)");
      assertThat(page.locator("#silences")).containsText("alertname=node-known");
      Browser.screenshot(page, "alerts-silenced");

      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End now")).click();
      assertThat(page.locator(".flash.notice")).containsText("Ended silence");
      assertThat(page.locator("#alerts tr:has-text('node-known')"))
          .not()
          .containsText("(silenced)");
    } finally {
      page.context().close();
    }
  }
}
