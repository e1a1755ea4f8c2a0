package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.server.it.BerthServer;
import dev.berth.server.testing.Kubeconfigs;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
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
 * The portal's forms as a user meets them in Chromium: the task mode that fits the trigger, every
 * error on the first submit beside its field, an image error as a sentence, a command line split
 * like a shell and shown, the forms that add registries, replication rules and clusters (only for
 * those who may), distinct state colours, the apps list's team and image, and the layout on a
 * phone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalFormsIT {
  static final String PASSWORD = PortalFixture.ADMIN_PASSWORD;
  static final String MEMBER_PASSWORD = "member-password-1234";
  static final double WAIT_MS = PortalFixture.WAIT_MS;
  static PortalFixture fixture;
  static BerthServer berth;
  static String image;
  static KubernetesMockServer kubernetes;

  Page page;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(64, "hello from the forms");
    berth = fixture.berth;
    image = fixture.image;
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    kubernetes =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    kubernetes.init(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterAll
  static void stop() {
    try {
      if (kubernetes != null) {
        kubernetes.destroy();
      }
    } finally {
      PortalFixture.close(fixture);
    }
  }

  @BeforeEach
  void openPage() {
    page = fixture.newPage();
  }

  @AfterEach
  void closePage(TestInfo test) {
    Browser.screenshot(page, "forms-" + test.getTestMethod().orElseThrow().getName());
    page.context().close();
  }

  void signIn() {
    PortalFixture.signIn(page, "admin", PASSWORD);
  }

  Locator name() {
    return page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true));
  }

  Locator fieldError(String field) {
    return page.locator(".field:has(#" + field + ") .field-error");
  }

  void click(String button) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button)).click();
  }

  /** Every field marked red says why next to it. */
  void everyMarkedFieldHasItsMessage() {
    Locator invalid = page.locator(".field.invalid");
    for (int i = 0; i < invalid.count(); i++) {
      assertThat(invalid.nth(i).locator(".field-error").first()).not().isEmpty();
    }
  }

  @Test
  @Order(1)
  void aScheduledTaskGetsAModeItAcceptsAndAModeErrorSaysWhy() {
    signIn();
    page.navigate("/tasks/new");
    assertThat(page.locator("#mode")).hasValue("");
    page.getByLabel("Name").fill("nightly");
    page.getByLabel("Image").fill(image);
    page.getByLabel("Command").fill("sh -c \"echo nightly\"");
    page.locator("#triggerType").selectOption("cron");
    page.getByLabel("Cron (for “cron”)").fill("0 3 * * *");
    click("Create task");
    assertThat(page.locator(".flash.notice"))
        .containsText("Created task nightly; it runs on cron '0 3 * * *'");
    assertThat(berth.get("/api/v1/tasks/nightly").path("mode").asText()).isEqualTo("async");

    page.navigate("/tasks/new");
    page.getByLabel("Name").fill("at-noon");
    page.getByLabel("Image").fill(image);
    page.locator("#triggerType").selectOption("at");
    page.getByLabel("At (for “at”)").fill("2099-01-31T12:00:00Z");
    page.locator("#mode").selectOption("sync");
    click("Create task");
    assertThat(page.locator(".field:has(#mode)")).hasClass(Pattern.compile(".*invalid.*"));
    assertThat(fieldError("mode")).containsText("'sync' needs a 'now' trigger");
    everyMarkedFieldHasItsMessage();
  }

  @Test
  @Order(2)
  void showsEveryErrorOnTheFirstSubmit() {
    signIn();
    page.navigate("/apps/new");
    page.getByLabel("Name").fill("Bad_Name");
    page.getByLabel("Image").fill(image);
    page.getByLabel("Command").fill("sh -c \"echo never");
    page.getByLabel("Memory (MiB)").fill("lots");
    page.getByLabel("Guaranteed CPU (cores)").fill("2");
    page.getByLabel("Maximum CPU (cores)").fill("1");
    page.getByLabel("Instances").fill("-3");
    click("Create application");

    assertThat(fieldError("memoryMiB")).containsText("must be a whole number, was 'lots'");
    assertThat(fieldError("command")).containsText("unterminated double quote");
    assertThat(fieldError("name")).containsText("must");
    assertThat(fieldError("cpuLimit")).containsText("must be >= resources.cpu");
    assertThat(fieldError("instances")).containsText("must be >= 0, was -3");
    assertThat(page.locator(".field.invalid")).hasCount(5);
    everyMarkedFieldHasItsMessage();

    page.navigate("/tasks/new");
    page.getByLabel("Name").fill("Bad Task");
    page.getByLabel("Time limit (seconds)").fill("soon");
    page.getByLabel("Environment").fill("NOEQUALS");
    click("Create task");
    assertThat(fieldError("timeoutSeconds")).containsText("must be a whole number, was 'soon'");
    assertThat(fieldError("env")).containsText("KEY=value");
    assertThat(fieldError("name")).containsText("DNS-1123");
    assertThat(fieldError("image")).not().isEmpty();
    everyMarkedFieldHasItsMessage();
    assertThat(berth.get("/api/v1/apps").path("total").asLong()).isZero();
  }

  @Test
  @Order(3)
  void showsAnImageTheRegistryDoesNotHaveAsASentence() {
    signIn();
    for (String missing :
        new String[] {
          fixture.registry.host() + "/demo/nope:1", fixture.registry.host() + "/demo/busybox:404"
        }) {
      page.navigate("/apps/new");
      page.getByLabel("Name").fill("ghost");
      page.getByLabel("Image").fill(missing);
      click("Create application");
      Locator error = fieldError("image");
      assertThat(error).containsText("not found: the registry has no");
      String text = error.first().textContent();
      assertThat(text)
          .doesNotContain("{")
          .doesNotContain("MANIFEST_UNKNOWN")
          .doesNotContain("NAME_UNKNOWN")
          .doesNotContain("errors");
    }
    assertThat(fieldError("image")).containsText("no image with that tag or digest");
  }

  @Test
  @Order(4)
  void splitsTheCommandLineLikeAShellShowsHowAndRunsIt() {
    signIn();
    page.navigate("/tasks/new");
    page.getByLabel("Name").fill("greet");
    page.getByLabel("Image").fill(image);
    Locator command = page.getByLabel("Command");
    command.fill("sh -c \"echo split into three");
    assertThat(page.locator("#command-split")).containsText("unterminated double quote");
    command.fill("sh -c \"echo split into three; echo 'quoted' \\\"too\\\"\"");
    Locator chips = page.locator("#command-split .chip");
    assertThat(chips).hasCount(3);
    assertThat(chips.nth(2)).hasText("echo split into three; echo 'quoted' \"too\"");
    assertThat(page.locator("#command-split")).containsText("3 arguments");
    Browser.screenshot(page, "forms-command-preview");
    click("Create task");

    assertThat(page).hasURL(Pattern.compile(".*/runs/greet-1$"));
    assertThat(page.locator("#run-state .badge"))
        .hasText("succeeded", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#run-log")).containsText("split into three");
    assertThat(page.locator("#run-log")).containsText("quoted too");
    assertThat(berth.get("/api/v1/tasks/greet").path("command").size()).isEqualTo(3);
  }

  @Test
  @Order(5)
  void succeededAndFailedRunsHaveDistinctColoursAndAppsShowTeamAndImage() {
    HttpResponse<String> failing =
        berth.call(
            "POST",
            "/api/v1/tasks",
            "{\"name\":\"fails\",\"image\":\""
                + image
                + "\",\"command\":[\"sh\",\"-c\",\"exit 3\"],\"mode\":\"sync\"}");
    assertThat(failing.statusCode()).as(failing.body()).isEqualTo(201);
    HttpResponse<String> app =
        berth.call(
            "POST",
            "/api/v1/apps",
            "{\"name\":\"listed\",\"instances\":0,\"image\":\"" + image + "\"}");
    assertThat(app.statusCode()).as(app.body()).isEqualTo(201);
    signIn();
    page.navigate("/tasks");
    Locator failed = page.locator("tr[data-run=fails-1] .badge");
    Locator succeeded = page.locator("tr[data-run=greet-1] .badge");
    assertThat(failed)
        .hasText("failed", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(succeeded).hasText("succeeded");
    assertThat(background(failed)).isNotEqualTo(background(succeeded));
    assertThat(background(failed)).isNotEqualTo("rgba(0, 0, 0, 0)");

    page.navigate("/apps");
    assertThat(page.locator("thead")).containsText("Team");
    assertThat(page.locator("thead")).containsText("Image");
    Locator row = page.locator("tr[data-app=listed]");
    assertThat(row.locator("td.team")).hasText("default");
    assertThat(row.locator("td.image")).hasText(image);
  }

  @Test
  @Order(6)
  void theModifyFormShowsEveryErrorAtOnceToo() {
    signIn();
    page.navigate("/apps/listed/edit");
    page.getByLabel("Memory (MiB)").fill("lots");
    page.getByLabel("Instances").fill("-1");
    page.getByLabel("Command").fill("echo 'unclosed");
    click("Save");
    assertThat(fieldError("memoryMiB")).containsText("must be a whole number, was 'lots'");
    assertThat(fieldError("instances")).containsText("must be >= 0, was -1");
    assertThat(fieldError("command")).containsText("unterminated single quote");
    everyMarkedFieldHasItsMessage();
    assertThat(berth.get("/api/v1/apps/listed").path("revision").asLong()).isEqualTo(1);
  }

  String background(Locator badge) {
    return (String) badge.evaluate("e => getComputedStyle(e).backgroundColor");
  }

  @Test
  @Order(7)
  void anAdminAddsARegistryAReplicationRuleAndAClusterThroughForms() {
    signIn();
    page.navigate("/images");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Add a registry")).click();
    name().fill("Bad Name");
    page.getByLabel("URL").fill("ftp://nowhere");
    click("Add registry");
    assertThat(fieldError("name")).not().isEmpty();
    assertThat(fieldError("url")).not().isEmpty();
    everyMarkedFieldHasItsMessage();
    name().fill("main");
    page.getByLabel("URL").fill(fixture.registry.url());
    click("Add registry");
    assertThat(page.locator(".flash.notice")).containsText("Added registry main");
    assertThat(page.locator("td.strong", new Page.LocatorOptions().setHasText("main")).first())
        .isVisible();

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New replication rule"))
        .click();
    name().fill("mirror-demo");
    page.getByLabel("Source registry").selectOption("main");
    page.getByLabel("Repositories").fill("demo/*");
    page.getByLabel("Targets").fill("main");
    click("Create rule");
    assertThat(fieldError("targets"))
        .containsText("is required when the target is the source registry itself");
    page.getByLabel("Targets").fill("main/mirror");
    click("Create rule");
    assertThat(page.locator(".flash.notice")).containsText("Created replication rule mirror-demo");
    assertThat(
            berth
                .get("/api/v1/replications/mirror-demo")
                .path("targets")
                .get(0)
                .path("namespace")
                .asText())
        .isEqualTo("mirror");

    page.navigate("/clusters");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Register a cluster"))
        .click();
    name().fill("k64");
    click("Register cluster");
    assertThat(fieldError("kubeconfig")).containsText("is required");
    name().fill("k64");
    page.getByLabel("Namespace").fill("apps");
    page.getByLabel("Kubeconfig", new Page.GetByLabelOptions().setExact(true))
        .fill(Kubeconfigs.withToken("http://127.0.0.1:" + kubernetes.getPort(), "token-of-k64"));
    click("Register cluster");
    assertThat(page.locator(".flash.notice")).containsText("Registered cluster k64");
    assertThat(page.locator("td.strong", new Page.LocatorOptions().setHasText("k64"))).isVisible();
    assertThat(page.locator("body")).not().containsText("token-of-k64");
  }

  @Test
  @Order(8)
  void aMemberIsNotOfferedTheAdministratorsForms() throws Exception {
    HttpResponse<String> user =
        berth.call(
            "POST",
            "/api/v1/users",
            new ObjectMapper()
                .writeValueAsString(
                    Map.of("name", "mia", "password", MEMBER_PASSWORD, "role", "member")));
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    PortalFixture.signIn(page, "mia", MEMBER_PASSWORD);
    page.navigate("/images");
    assertThat(page.locator(".topbar h1")).hasText("Images");
    assertThat(page.getByText("Add a registry")).hasCount(0);
    assertThat(page.getByText("New replication rule")).hasCount(0);
    page.navigate("/clusters");
    assertThat(page.locator(".topbar h1")).hasText("Clusters");
    assertThat(page.getByText("Register a cluster")).hasCount(0);
    for (String form :
        new String[] {"/clusters/new", "/images/registries/new", "/images/replications/new"}) {
      page.navigate(form);
      assertThat(page.locator("h1")).hasText("403 Forbidden");
    }
  }

  @Test
  @Order(9)
  void isUsableOnAPhone() {
    page.setViewportSize(375, 812);
    signIn();
    Locator menu = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("☰ Menu"));
    assertThat(menu).isVisible();
    assertThat(
            page.locator(".sidebar")
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Short tasks")))
        .isHidden();
    assertThat(page.locator("tr[data-app=listed]")).isVisible();
    assertThat(page.locator(".topbar h1")).isVisible();
    // The heading is not under the sidebar: the element at its centre is the heading itself.
    Object onTop =
        page.evaluate(
            "() => { const h = document.querySelector('.topbar h1').getBoundingClientRect();"
                + " return document.elementFromPoint(h.left + h.width / 2, h.top + h.height / 2).closest('.main') !== null; }");
    assertThat(onTop).isEqualTo(true);
    assertThat(pageWidth()).isLessThanOrEqualTo(375);
    Object tableRight =
        page.evaluate("() => document.querySelector('main .table').getBoundingClientRect().right");
    assertThat(((Number) tableRight).doubleValue()).isLessThanOrEqualTo(375);
    Browser.screenshot(page, "phone-apps");

    menu.click();
    page.locator(".sidebar")
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Short tasks"))
        .click();
    assertThat(page).hasURL(Pattern.compile(".*/tasks$"));
    assertThat(pageWidth()).isLessThanOrEqualTo(375);
    Browser.screenshot(page, "phone-tasks");

    page.navigate("/apps/new");
    assertThat(page.getByLabel("Image")).isVisible();
    assertThat(pageWidth()).isLessThanOrEqualTo(375);
    Browser.screenshot(page, "phone-new-app");
  }

  int pageWidth() {
    return ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
  }
}
