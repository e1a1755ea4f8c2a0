package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
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
 * Teams, confirmations, tokens and the audit log in the portal, in headless Chromium against a real
 * Berth: an admin creates a production team and gives a new user the operator role; the user sees
 * the team's apps without the actions an operator may not take, must type an app's name to scale it
 * to zero, and gets a token secret shown once; the admin finds all of it in the audit log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamPortalIT {
  static final String ADMIN_PASSWORD = PortalFixture.ADMIN_PASSWORD;
  static final String PAULA_PASSWORD = "paulas-password";
  static PortalFixture fixture;
  static BerthServer berth;
  static String image;

  Page page;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(32, "hello from a team");
    berth = fixture.berth;
    image = fixture.image;
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  @BeforeEach
  void openPage() {
    page = fixture.newPage();
  }

  @AfterEach
  void closePage(TestInfo test) {
    Browser.screenshot(page, "team-" + test.getTestMethod().orElseThrow().getName());
    page.context().close();
  }

  void signIn(String user, String password) {
    PortalFixture.signIn(page, user, password);
  }

  @Test
  @Order(1)
  void anAdminCreatesAProductionTeamAndMakesANewUserItsOperator() {
    signIn("admin", ADMIN_PASSWORD);
    page.navigate("/users");
    page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("paula");
    page.getByLabel("Password").fill(PAULA_PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create user")).click();
    assertThat(page.locator(".flash.notice")).containsText("Created user paula");

    page.navigate("/teams");
    page.locator("form[action$='/teams'] input[name=name]").fill("payments");
    page.getByLabel("Production (scaling its apps to zero needs a confirmation)").check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create team")).click();
    assertThat(page).hasURL(Pattern.compile(".*/teams/payments$"));
    assertThat(
            page.getByText(
                "Production team: scaling its apps to zero needs the app name typed back."))
        .isVisible();

    page.getByLabel("User", new Page.GetByLabelOptions().setExact(true)).fill("paula");
    page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("operator");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    assertThat(page.locator(".flash.notice")).containsText("paula is now operator of payments");
    assertThat(page.locator("tr[data-member=paula]")).containsText("operator");
  }

  @Test
  @Order(2)
  void anOperatorSeesTheTeamsAppsWithoutDeleteAndTypesTheNameToScaleToZero() {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
        {"name":"till","team":"payments","image":"%s","command":["sleep","3600"],"instances":1}"""
                .formatted(image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    berth.call(
        "POST",
        "/api/v1/apps",
        """
        {"name":"elsewhere","image":"%s","command":["sleep","3600"],"instances":0}"""
            .formatted(image));

    signIn("paula", PAULA_PASSWORD);
    assertThat(page.locator("tr[data-app=till]")).isVisible();
    assertThat(page.locator("tr[data-app=elsewhere]")).hasCount(0);
    assertThat(page.locator("tr[data-app=till]").getByText("Delete")).hasCount(0);
    assertThat(page.locator("tr[data-app=till]").getByText("Modify")).hasCount(0);

    page.locator("tr[data-app=till]")
        .getByText("Scale", new Locator.GetByTextOptions().setExact(true))
        .click();
    page.getByLabel("Instances").fill("0");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Scale")).click();
    assertThat(page.locator(".field-error")).containsText("confirm=till");
    Browser.screenshot(page, "team-scale-needs-confirmation");
    page.getByLabel("Production app: to scale to 0, type till").fill("till");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Scale")).click();
    assertThat(page.locator(".flash.notice")).containsText("Scaled till to 0 instance(s)");

    String image2 =
        dev.berth.oci.testing.TestImages.pushBusybox(
            fixture.registry.host() + "/demo/busybox:2", "till two");
    page.navigate("/apps/till");
    assertThat(page.getByText("Modify")).hasCount(0);
    page.getByText("Release image").click();
    page.getByLabel("Image").fill(image2);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Release")).click();
    assertThat(page.locator(".flash.notice")).containsText("as revision 2");
    com.fasterxml.jackson.databind.JsonNode till =
        BerthServer.json(berth.call("GET", "/api/v1/apps/till", null).body());
    assertThat(till.path("image").asText()).isEqualTo(image2);
    assertThat(till.path("command").toString())
        .as("only the image changed")
        .isEqualTo("[\"sleep\",\"3600\"]");
  }

  @Test
  @Order(3)
  void aUserCreatesAScopedTokenWhoseSecretIsShownOnce() {
    signIn("paula", PAULA_PASSWORD);
    page.navigate("/users");
    page.getByLabel("Token name").fill("ci");
    page.getByLabel("Expires in").fill("30d");
    page.getByLabel("Scope").fill("payments=viewer");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();
    String secret = page.locator("#token-secret").textContent();
    assertThat(secret).startsWith("berth_");
    assertThat(page.locator("tr[data-token=ci]")).containsText("payments=viewer");
    Browser.screenshot(page, "team-token-created");
    assertThat(berth.call("GET", "/api/v1/apps/till", null, secret).statusCode()).isEqualTo(200);
    assertThat(
            berth.call("POST", "/api/v1/apps/till/scale", "{\"instances\":0}", secret).statusCode())
        .isEqualTo(403);

    page.navigate("/users");
    assertThat(page.locator("#token-secret")).hasCount(0);
    page.locator("tr[data-token=ci]").getByText("Revoke").click();
    assertThat(page.locator(".flash.notice")).containsText("Revoked");
    assertThat(berth.call("GET", "/api/v1/apps/till", null, secret).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(4)
  void theAdminFindsEveryChangeInTheAuditLog() {
    signIn("admin", ADMIN_PASSWORD);
    page.navigate("/audit?actor=paula");
    assertThat(
            page.locator("tr[data-audit]")
                .filter(
                    new com.microsoft.playwright.Locator.FilterOptions().setHasText("app.scale"))
                .first())
        .containsText("app/till");
    assertThat(page.locator("tbody")).containsText("token.create");
    assertThat(page.locator("tbody")).containsText("token.revoke");
    page.navigate("/audit?actor=admin&action=team.");
    assertThat(page.locator("tbody")).containsText("team.create");
    assertThat(page.locator("tbody")).containsText("team.member.set");
    assertThat(page.locator("tbody")).not().containsText("app.");
  }
}
