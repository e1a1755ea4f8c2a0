package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestLayer;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.it.BerthServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The Builds page in Debian's Chromium against a real Berth and docker-registry: start a build from
 * the form with an uploaded archive, follow it to its digest and log, and see a bad field marked.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BuildPortalIT {
  static final String BRIDGE = "berthit21";
  static final double WAIT_MS = 60_000;
  static TestRegistry registry;
  static BerthServer berth;
  static Browser browser;
  static String base;
  Page page;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        Browser.available(), "Debian's chromium is not installed (apt-get install chromium)");
    registry = TestRegistry.start();
    base = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "base page");
    berth =
        new BerthServer(
                Files.createTempDirectory("berth-it-21-"), BRIDGE, "10.203.21.0/24", "berth-it21")
            .start();
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (berth != null) {
        berth.closeAndCleanUp(BRIDGE);
      }
      if (registry != null) {
        registry.close();
      }
    }
  }

  @BeforeEach
  void openPage() {
    page = browser.newPage(berth.baseUrl(), WAIT_MS);
    page.navigate("/builds");
    page.getByLabel("User name").fill("admin");
    page.getByLabel("Password").fill("integration-test-password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator(".topbar h1")).hasText("Builds");
  }

  @AfterEach
  void closePage(TestInfo test) {
    Browser.screenshot(page, "builds-" + test.getTestMethod().orElseThrow().getName());
    page.context().close();
  }

  @Test
  void startsABuildFromTheFormWithAnArchiveAndShowsItsDigestAndLog(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    assertThat(page.locator(".sidebar a.active")).hasText("Builds");
    assertThat(page.locator(".empty h2")).hasText("No builds yet");
    Path site = dir.resolve("site.tar.gz");
    Files.write(site, TestLayer.create().file("index.html", "from the portal", 0644).tarGz());

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New build")).click();
    page.getByLabel("Push to").fill(registry.host() + "/portal/site:1");
    page.getByLabel("Base image").fill(base);
    page.getByLabel("Archive: tar, tar.gz or zip").setInputFiles(site);
    page.getByLabel("Unpack into").fill("/www");
    page.getByLabel("Command").fill("httpd -f -p 8080 -h /www");
    page.getByLabel("Ports").fill("8080");
    page.getByLabel("Labels").fill("team=portal");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start build")).click();

    assertThat(page).hasURL(Pattern.compile(".*/builds/\\d+$"));
    assertThat(page.locator(".flash.notice")).containsText("is queued");
    assertThat(page.locator("#build-state"))
        .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#build-image")).containsText(registry.host() + "/portal/site@sha256:");
    assertThat(page.locator("#build-log"))
        .containsText("pushed " + registry.host() + "/portal/site:1");

    page.locator(".sidebar")
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Builds").setExact(true))
        .click();
    assertThat(page.locator("tbody tr[data-build] .badge").first()).hasText("succeeded");
  }

  @Test
  @org.junit.jupiter.api.Order(
      Integer.MAX_VALUE) // last: its template build would fill the empty list the first test starts
  // from
  void offersEachRoleOnlyTheBuildActionsItMayTakeAndRefusesTheOthersByUrl() {
    admin("POST", "/api/v1/teams", "{\"name\":\"web\"}", 201);
    for (String[] u : new String[][] {{"dora", "developer"}, {"vera", "viewer"}}) {
      admin(
          "POST",
          "/api/v1/users",
          "{\"name\":\""
              + u[0]
              + "\",\"password\":\""
              + MEMBER_PASSWORD
              + "\",\"role\":\"member\"}",
          201);
      admin("PUT", "/api/v1/teams/web/members/" + u[0], "{\"role\":\"" + u[1] + "\"}", 200);
    }
    admin(
        "POST",
        "/api/v1/build-templates",
        """
        {"name":"os","spec":{"image":"%s/templates/os:1","base":"scratch","files":[{"path":"/etc/os-release","content":"portal"}]}}
        """
            .formatted(registry.host()),
        201);

    Page dora = signedIn("dora");
    dora.navigate("/builds");
    Locator os = dora.locator("tr[data-template=os]");
    assertThat(os.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Build on it")))
        .isVisible();
    assertThat(os.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rebuild")))
        .hasCount(0);
    assertThat(os.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")))
        .hasCount(0);
    dora.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New build")).click();
    assertThat(dora.getByLabel("Team")).hasValue("web");
    assertThat(dora.getByLabel("Save as template")).hasCount(0);
    // A rebuild and a delete asked for by hand (a form with a valid CSRF token): the 403 page, no
    // trace.
    for (String action : new String[] {"build", "delete"}) {
      dora.navigate("/builds/new");
      dora.evaluate(
          "a => { const f = document.createElement('form'); f.method = 'post'; f.action = a;"
              + " f.appendChild(document.querySelector('input[name=_csrf]').cloneNode()); document.body.appendChild(f); f.submit(); }",
          "/build-templates/os/" + action);
      assertThat(dora.locator("h1")).containsText("403");
      assertThat(dora.locator("body")).containsText("build-template.manage");
      assertThat(dora.locator("body")).not().containsText("Exception");
    }
    org.assertj.core.api.Assertions.assertThat(
            berth.call("GET", "/api/v1/build-templates/os", null).statusCode())
        .as("still there")
        .isEqualTo(200);
    dora.context().close();

    Page vera = signedIn("vera");
    vera.navigate("/builds");
    assertThat(vera.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New build")))
        .hasCount(0);
    assertThat(
            vera.locator("tr[data-template=os]")
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Build on it")))
        .hasCount(0);
    vera.navigate("/builds/new");
    assertThat(vera.locator("h1")).containsText("403");
    assertThat(vera.locator("body")).containsText("build.create");
    vera.context().close();

    page.navigate("/builds");
    assertThat(
            page.locator("tr[data-template=os]")
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rebuild")))
        .isVisible();
  }

  static final String MEMBER_PASSWORD = "member-password-1";

  Page signedIn(String user) {
    Page p = browser.newPage(berth.baseUrl(), WAIT_MS);
    p.navigate("/builds");
    p.getByLabel("User name").fill(user);
    p.getByLabel("Password").fill(MEMBER_PASSWORD);
    p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(p.locator(".topbar h1")).hasText("Builds");
    return p;
  }

  static void admin(String method, String path, String body, int expected) {
    java.net.http.HttpResponse<String> r = berth.call(method, path, body);
    org.assertj.core.api.Assertions.assertThat(r.statusCode())
        .as(method + " " + path + ": " + r.body())
        .isEqualTo(expected);
  }

  @Test
  void marksABadFieldAndKeepsWhatWasTyped() {
    page.navigate("/builds/new");
    page.getByLabel("Push to").fill("Not A Reference");
    page.getByLabel("Ports").fill("99999");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start build")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("Please fix the fields marked below");
    assertThat(page.locator(".field.invalid")).hasCount(3);
    assertThat(page.getByLabel("Push to")).hasValue("Not A Reference");
    assertThat(page.locator(".field.invalid .field-error").first()).isVisible();
  }
}
