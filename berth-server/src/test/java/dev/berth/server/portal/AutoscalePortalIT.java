package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.server.autoscale.AutoscaleController;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling in the portal, in headless Chromium against a real Berth: the autoscale action on the
 * application list opens the policy form, a bad policy shows its error at the field, a good one is
 * saved, and after evaluations the decisions appear with their rule and a chart with a mark on the
 * change of count — on the autoscale page and on the app page.
 */
class AutoscalePortalIT {
  static PortalFixture fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(181, "autoscale portal");
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  @Test
  void theAutoscaleActionOpensThePolicyFormAndTheDecisionsAreCharted() {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"shop","image":"%s","instances":1,"resources":{"cpu":0.2},
             "command":["sleep","3600"]}"""
                .formatted(fixture.image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.locator("a[href$='/apps/shop/autoscale']").click();
      page.getByLabel("Min instances").fill("5");
      page.getByLabel("Max instances").fill("2");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
      assertThat(page.locator(".field.invalid").first()).containsText("must not be above max");
      assertThat(berth.get("/api/v1/apps/shop/autoscaling").path("enabled").asBoolean()).isFalse();

      page.getByLabel("Min instances").fill("1");
      page.getByLabel("Max instances").fill("3");
      // a window open since the last full minute and until next New Year: a floor of 2 now
      page.getByLabel("Schedule: start (cron, 5 fields)").fill("* * * * *");
      page.getByLabel("Schedule: end (cron)").fill("0 0 1 1 *");
      page.getByLabel("Schedule: floor").fill("2");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
      assertThat(page.locator(".flash.notice")).containsText("Autoscaling of shop saved");

      AutoscaleController controller = berth.bean(AutoscaleController.class);
      controller.evaluate("shop");
      controller.evaluate("shop");
      assertThat(berth.get("/api/v1/apps/shop").path("instances").asInt()).isEqualTo(2);

      page.reload();
      assertThat(page.locator("table.decisions")).containsText("schedule-floor");
      assertThat(page.locator("table.decisions tr.changed")).containsText("1 → 2");
      assertThat(page.locator("svg circle.mark")).hasCount(1);
      Browser.screenshot(page, "autoscale-policy-and-decisions");

      page.navigate("/apps/shop");
      assertThat(page.locator("#autoscaling svg circle.mark")).hasCount(1);
      assertThat(page.locator("#autoscaling")).containsText("1–3 instance(s), now 2");
      Browser.screenshot(page, "autoscale-app-page");
    } finally {
      page.context().close();
    }
  }
}
