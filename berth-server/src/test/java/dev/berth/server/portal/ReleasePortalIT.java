package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.oci.testing.TestImages;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The release page and the pipelines page in headless Chromium against a real Berth: an app with
 * four instances is released with a bastion of one and two more batches promoted by hand, the page
 * following every step by itself; a viewer gets no controls; two revisions are compared and the app
 * rolled back to the first. Then a pipeline's promotion into an environment that needs approval is
 * asked for and approved on the pipelines page, and prod runs the digest test ran.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleasePortalIT {
  static final Duration READY = Duration.ofSeconds(90);
  static final String PASSWORD = "release-portal-password";
  static PortalFixture fixture;
  static BerthServer berth;
  static String image2;

  Page page;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(158, "release portal one");
    // Batches take seconds: the page's own refresh must be waited for, not the default 5 s.
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(
        PortalFixture.WAIT_MS);
    berth = fixture.berth;
    image2 = TestImages.pushBusybox(fixture.registry.host() + "/demo/busybox:2", "portal two");
    call("POST", "/api/v1/teams", "{\"name\":\"ops\"}", 201);
    user("vera", "default", "viewer");
    user("oscar", "ops", "operator");
  }

  @AfterAll
  static void stop() {
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(5_000);
    PortalFixture.close(fixture);
  }

  @AfterEach
  void closePage(TestInfo test) {
    if (page != null) {
      Browser.screenshot(page, "release-" + test.getTestMethod().orElseThrow().getName());
      page.context().close();
    }
  }

  static JsonNode call(String method, String path, String body, int expected) {
    HttpResponse<String> r = berth.call(method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    return r.body().isEmpty() ? null : BerthServer.json(r.body());
  }

  static void user(String name, String team, String role) {
    call(
        "POST",
        "/api/v1/users",
        "{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}",
        201);
    call("PUT", "/api/v1/teams/" + team + "/members/" + name, "{\"role\":\"" + role + "\"}", 200);
  }

  static void running(String name, String team, int instances) {
    call(
        "POST",
        "/api/v1/apps",
        """
        {"name":"%s","team":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "instances":%d,"health":{"readiness":{"type":"tcp","port":8080,"periodSeconds":1}}}"""
            .formatted(name, team, fixture.image, instances),
        201);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/" + name).path("status").path("phase").asText())
                    .isEqualTo("Running"));
  }

  Page signedIn(String user, String password) {
    page = fixture.newPage();
    PortalFixture.signIn(page, user, password);
    return page;
  }

  void awaitGrid(int onNewRevision, String reason) {
    assertThat(page.locator("#release-reason")).hasText(reason);
    assertThat(page.locator("#instance-grid .cell.rev-to")).hasCount(onNewRevision);
    assertThat(page.locator("#instance-grid .cell.rev-from")).hasCount(4 - onNewRevision);
  }

  @Test
  @Order(1)
  void aBastionAndTwoBatchesArePromotedOnTheReleasePageWhichFollowsEveryStep() {
    running("shop", "default", 4);
    long id =
        call(
                "POST",
                "/api/v1/apps/shop/releases",
                """
                {"image":"%s","strategy":{"bastion":1,"batches":{"count":2},"promotion":"manual"}}"""
                    .formatted(image2),
                201)
            .path("id")
            .asLong();

    signedIn("admin", PortalFixture.ADMIN_PASSWORD);
    page.navigate("/apps/shop");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Releases")).click();
    awaitGrid(1, "AwaitingPromotion");
    assertThat(page.locator("#batches .batch.done")).hasCount(1);
    assertThat(page.locator("#release-state")).hasText("paused");
    Browser.screenshot(page, "release-bastion-awaiting-promotion");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promote")).click();
    assertThat(page.locator(".flash.notice")).containsText("is progressing");
    awaitGrid(3, "AwaitingPromotion");
    assertThat(page.locator("#batches .batch.done")).hasCount(2);

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promote")).click();
    assertThat(page.locator("#release-state")).hasText("succeeded");
    assertThat(page.locator("#instance-grid .cell.rev-to")).hasCount(4);
    assertThat(page.locator("#release-controls button")).hasCount(0);
    Browser.screenshot(page, "release-succeeded");
    assertThat(berth.get("/api/v1/apps/shop/releases/" + id).path("state").asText())
        .isEqualTo("succeeded");
  }

  @Test
  @Order(2)
  void aViewerSeesTheReleaseButNoControls() {
    long id =
        call(
                "POST",
                "/api/v1/apps/shop/releases",
                "{\"revision\":1,\"strategy\":{\"bastion\":1,\"promotion\":\"manual\"}}",
                201)
            .path("id")
            .asLong();
    signedIn("vera", PASSWORD);
    page.navigate("/apps/shop/releases/" + id);
    assertThat(page.locator("#release-reason")).hasText("AwaitingPromotion");
    assertThat(page.locator("#release-controls button")).hasCount(0);
    assertThat(page.getByText("Roll back to this")).hasCount(0);
    call("POST", "/api/v1/apps/shop/releases/" + id + "/abort", null, 200);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/shop/releases/" + id).path("state").asText())
                    .isEqualTo("aborted"));
  }

  @Test
  @Order(3)
  void twoRevisionsAreComparedAndTheAppRolledBackToTheFirst() {
    signedIn("admin", PortalFixture.ADMIN_PASSWORD);
    page.navigate("/apps/shop/releases");
    page.getByLabel("compare from revision 1").check();
    page.getByLabel("compare to revision 2").check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare")).click();
    assertThat(page.locator("#diff tr[data-field=image]")).containsText("busybox:1");
    assertThat(page.locator("#diff tr[data-field=image]")).containsText("busybox:2");
    assertThat(page.locator("#diff tr[data-field=command\\[0\\]]")).hasCount(0);

    page.onDialog(d -> d.accept());
    page.locator("tr[data-revision-row='1']")
        .getByRole(
            AriaRole.BUTTON,
            new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Roll back to this"))
        .click();
    assertThat(page.locator(".flash.notice")).containsText("Rolling back to revision 1");
    assertThat(page.locator("#release h2")).containsText("→");
    JsonNode app = berth.get("/api/v1/apps/shop");
    assertThat(app.path("image").asText()).isEqualTo(fixture.image);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/shop").at("/release/state").asText())
                    .isEqualTo("succeeded"));
  }

  @Test
  @Order(4)
  void aPromotionIsAskedForAndApprovedOnThePipelinesPageAndProdRunsTheDigestOfTest() {
    running("site-test", "default", 1);
    running("site-prod", "ops", 1);
    call(
        "POST",
        "/api/v1/pipelines",
        """
        {"name":"site","environments":[{"name":"test","app":"site-test"},
         {"name":"prod","app":"site-prod","requiresApproval":true}]}""",
        201);
    long release =
        call("POST", "/api/v1/apps/site-test/releases", "{\"image\":\"" + image2 + "\"}", 201)
            .path("id")
            .asLong();
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(
                        berth
                            .get("/api/v1/apps/site-test/releases/" + release)
                            .path("state")
                            .asText())
                    .isEqualTo("succeeded"));

    signedIn("admin", PortalFixture.ADMIN_PASSWORD);
    page.navigate("/pipelines");
    page.locator("tr[data-pipeline=site]")
        .getByRole(
            AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("site"))
        .click();
    String testDigest = page.locator("tr[data-env=test] .digest").getAttribute("data-digest");
    assertThat(testDigest).startsWith("sha256:");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Promote to prod")).click();
    assertThat(page.locator(".flash.notice")).containsText("awaiting-approval");
    assertThat(page.locator("#promotions tr[data-state=awaiting-approval]")).hasCount(1);
    page.context().close();

    signedIn("vera", PASSWORD);
    page.navigate("/pipelines/site");
    assertThat(page.locator("#promotions tr[data-state=awaiting-approval]")).hasCount(1);
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")))
        .hasCount(0);
    page.context().close();

    signedIn("oscar", PASSWORD);
    page.navigate("/pipelines/site");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve")).click();
    assertThat(page.locator(".flash.notice")).containsText("released");
    assertThat(page.locator("#promotions tr[data-state=released]")).hasCount(1);
    assertThat(page.locator("tr[data-env=prod] .digest")).hasAttribute("data-digest", testDigest);
    Browser.screenshot(page, "release-pipeline-approved");
    JsonNode prod = berth.get("/api/v1/apps/site-prod");
    assertThat(prod.path("image").asText()).endsWith("@" + testDigest);
    await()
        .atMost(READY)
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/site-prod").at("/release/state").asText())
                    .isEqualTo("succeeded"));
  }
}
