package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.util.List;
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
 * The portal in real Chromium against a real Berth (runc containers, a real registry): sign in, the
 * sidebar's pages, the app forms with their errors, an app from creation to Running, scaled, one
 * instance deleted, its log followed, and events arriving without a reload. Each test leaves a
 * screenshot in {@code target/portal-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalIT {
  static final String PASSWORD = PortalFixture.ADMIN_PASSWORD;
  static final double WAIT_MS = PortalFixture.WAIT_MS;
  static PortalFixture fixture;
  static BerthServer berth;
  static String image;

  Page page;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(6, "hello from the portal");
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
    Browser.screenshot(page, test.getTestMethod().orElseThrow().getName());
    page.context().close();
  }

  void signIn() {
    PortalFixture.signIn(page, "admin", PASSWORD);
  }

  @Test
  @Order(1)
  void refusesAWrongPasswordAndLandsOnApplicationsWithTheRightOne() {
    page.navigate("/apps");
    assertThat(page).hasURL(Pattern.compile(".*/signin$"));
    page.getByLabel("User name").fill("admin");
    page.getByLabel("Password").fill("not-the-password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong user name or password");
    Browser.screenshot(page, "signin-refused");

    signIn();
    assertThat(page.locator(".topbar h1")).hasText("Applications");
    assertThat(page.locator(".user .who")).hasText("admin");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    assertThat(page).hasURL(Pattern.compile(".*/signin\\?signedout$"));
    page.navigate("/apps");
    assertThat(page).hasURL(Pattern.compile(".*/signin$"));
  }

  @Test
  @Order(2)
  void rendersEverySidebarPageWithAnEmptyStateOrItsData() {
    signIn();
    assertThat(page.locator(".empty h2")).hasText("No applications yet");
    List<String[]> pages =
        List.of(
            new String[] {"Short tasks", "Short tasks"},
            new String[] {"Events", "Events"},
            new String[] {"Nodes", "Nodes"},
            new String[] {"Clusters", "Clusters"},
            new String[] {"Images", "Images"},
            new String[] {"Users", "Users"},
            new String[] {"Applications", "Applications"});
    for (String[] p : pages) {
      page.locator(".sidebar")
          .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(p[0]).setExact(true))
          .click();
      assertThat(page.locator(".topbar h1")).hasText(p[1]);
      assertThat(page.locator(".sidebar a.active")).hasText(p[0]);
      assertThat(page.locator("main .table, main .empty").first()).isVisible();
      Browser.screenshot(page, "sidebar-" + p[0].toLowerCase().replace(' ', '-'));
    }
    page.navigate("/clusters");
    assertThat(page.locator("td.strong").first()).hasText("local");
    page.navigate("/nodes");
    assertThat(page.locator("tbody tr")).hasCount(1);
    page.navigate("/users");
    assertThat(page.locator("td.strong").first()).hasText("admin");

    page.navigate("/apps/no-such-app");
    assertThat(page.locator("h1")).hasText("404 Not Found");
    assertThat(page.locator("body")).not().containsText("Exception");
    page.navigate("/no/such/page");
    assertThat(page.locator("h1")).hasText("404 Not Found");
  }

  @Test
  @Order(3)
  void showsTheApisFieldErrorsNextToTheirFieldsAndKeepsTheInput() {
    signIn();
    page.getByText("New application").first().click();
    page.getByLabel("Name").fill("Bad_Name");
    page.getByLabel("Image").fill(image);
    page.getByLabel("Memory (MiB)").fill("2");
    page.getByLabel("Guaranteed CPU (cores)").fill("2");
    page.getByLabel("Maximum CPU (cores)").fill("1");
    page.getByLabel("Instances").fill("-3");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create application"))
        .click();

    assertThat(page.locator(".field.invalid")).hasCount(4);
    assertThat(fieldError("name")).containsText("must");
    assertThat(fieldError("memoryMiB")).containsText("must be between 4 and 1048576 MiB, was 2");
    assertThat(fieldError("cpuLimit")).containsText("must be >= resources.cpu");
    assertThat(fieldError("instances")).containsText("must be >= 0, was -3");
    assertThat(page.getByLabel("Name")).hasValue("Bad_Name");
    assertThat(page.getByLabel("Image")).hasValue(image);
    assertThat(page.getByLabel("Memory (MiB)")).hasValue("2");
    assertThat(page.getByLabel("Instances")).hasValue("-3");

    page.getByLabel("Memory (MiB)").fill("lots");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create application"))
        .click();
    assertThat(fieldError("memoryMiB")).containsText("must be a whole number, was 'lots'");
    assertThat(page.getByLabel("Memory (MiB)")).hasValue("lots");
    assertThat(berth.get("/api/v1/apps").path("total").asLong()).isZero();
  }

  Locator fieldError(String field) {
    return page.locator(".field:has(#" + field + ") .field-error");
  }

  @Test
  @Order(4)
  void createsAnAppThatBecomesRunningThenScalesItFollowsALogAndDeletesOneInstance() {
    signIn();
    page.getByText("New application").first().click();
    page.getByLabel("Name").fill("web");
    page.getByLabel("Image").fill(image);
    page.getByLabel("Command")
        .fill("sh -c \"echo portal log line; exec httpd -f -p 8080 -h /www\"");
    page.getByLabel("Ports").fill("http:8080");
    page.getByLabel("Guaranteed CPU (cores)").fill("0.2");
    page.getByLabel("Maximum CPU (cores)").fill("1");
    page.getByLabel("Memory (MiB)").fill("32");
    page.getByLabel("Instances").fill("1");
    page.locator("#readinessType").selectOption("http");
    page.getByLabel("Port", new Page.GetByLabelOptions().setExact(true)).fill("8080");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create application"))
        .click();

    assertThat(page).hasURL(Pattern.compile(".*/apps/web$"));
    assertThat(page.locator(".flash.notice")).containsText("Created web");
    assertThat(page.locator("#app-phase .badge"))
        .hasText("Running", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#app-ready")).hasText("1 ready of 1 desired");
    Browser.screenshot(page, "app-running");

    // The list shows name, team, phase, ready count and revision.
    page.navigate("/apps");
    Locator row = page.locator("tr[data-app=web]");
    assertThat(row).containsText("admin");
    assertThat(row).containsText("shares");
    assertThat(row).containsText("32 MiB");
    assertThat(row.locator(".running")).hasText("1 / 1");
    assertThat(row.locator(".badge")).hasText("Running");

    // Scale to 2 from the list's action.
    row.getByText("Scale", new Locator.GetByTextOptions().setExact(true)).click();
    page.getByLabel("Instances").fill("2");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Scale")).click();
    assertThat(page.locator(".flash.notice")).containsText("Scaled web to 2 instance(s)");
    assertThat(page.locator("#instances tbody tr"))
        .hasCount(2, new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#app-ready"))
        .hasText(
            "2 ready of 2 desired", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    Browser.screenshot(page, "app-scaled");

    // Follow web-0's log.
    page.locator("tr[data-instance=web-0]").getByText("Logs").click();
    assertThat(page.locator("#log-lines")).containsText("portal log line");
    // Follow the whole app: both instances' lines, each with its instance's name and time of day.
    page.locator("#follow-app-log").click();
    assertThat(page.locator("#log h2")).containsText("all instances of web");
    assertThat(page.locator("#log-lines")).containsText("web-0");
    assertThat(page.locator("#log-lines"))
        .containsText(Pattern.compile("web-1 \\d\\d:\\d\\d:\\d\\d\\.\\d{3} portal log line"));
    Browser.screenshot(page, "app-log-all-instances");

    // Delete web-1 without replacement: the app keeps one instance.
    page.onDialog(d -> d.accept());
    page.locator("tr[data-instance=web-1]")
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete"))
        .click();
    assertThat(page.locator(".flash.notice")).containsText("instance web-1 deleted");
    assertThat(page.locator("#instances tbody tr"))
        .hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("tr[data-instance=web-0]")).isVisible();
    assertThat(page.locator("#app-ready"))
        .hasText(
            "1 ready of 1 desired", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#live .events")).containsText("Deleted");
  }

  @Test
  @Order(5)
  void showsANewEventWithoutReloading() {
    signIn();
    page.navigate("/events");
    assertThat(page.locator(".topbar h1")).hasText("Events");
    page.evaluate("window.__marker = 'same page'");
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
        {"name":"quiet","image":"%s","command":["sleep","3600"],"instances":0}"""
                .formatted(image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    Locator row =
        page.locator("#events-table tr", new Page.LocatorOptions().setHasText("app/quiet"));
    assertThat(row.first()).containsText("created by admin");
    assertThat(page.evaluate("window.__marker")).isEqualTo("same page");
  }

  @Test
  @Order(6)
  void deletesAnAppAfterAConfirmationThatNamesIt() {
    signIn();
    berth.call(
        "POST",
        "/api/v1/apps",
        """
        {"name":"doomed","image":"%s","command":["sleep","3600"],"instances":0}"""
            .formatted(image));
    page.navigate("/apps?q=doomed");
    page.locator("tr[data-app=doomed]").getByText("Delete").click();
    assertThat(page.locator(".confirm h2")).hasText("Delete the application doomed?");
    Browser.screenshot(page, "app-delete-confirmation");
    page.locator("#confirm").fill("doomed");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete doomed")).click();
    assertThat(page.locator(".flash.notice")).containsText("doomed is being deleted");
    assertThat(page.locator("tr[data-app=doomed]"))
        .hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(WAIT_MS));
  }

  @Test
  @Order(7)
  void refusesAFormWithoutItsCsrfTokenAndCreatesNothing() {
    signIn();
    page.navigate("/apps/new");
    page.getByLabel("Name").fill("forged");
    page.getByLabel("Image").fill(image);
    page.evaluate("document.querySelectorAll('input[name=_csrf]').forEach(e => e.remove())");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create application"))
        .click();
    assertThat(page.locator("h1")).containsText("403");
    assertThat(page.locator("body")).containsText("This was refused");
    assertThat(page.locator("body")).not().containsText("Exception");
    assertThat(berth.call("GET", "/api/v1/apps/forged", null).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(8)
  void sendsBackToSignInWhenTheSessionExpired() throws Exception {
    signIn();
    page.navigate("/tasks");
    int expired = 0;
    for (org.apache.catalina.Session session : tomcatSessions()) {
      session.expire();
      expired++;
    }
    assertThat(expired).isPositive();
    page.navigate("/apps");
    assertThat(page).hasURL(Pattern.compile(".*/signin\\?expired$"));
    assertThat(page.getByRole(AriaRole.STATUS)).containsText("Your session expired");
    signIn();
  }

  /** The live sessions of the server's Tomcat: expiring them is what its session timeout does. */
  static org.apache.catalina.Session[] tomcatSessions() {
    var web = (org.springframework.boot.web.embedded.tomcat.TomcatWebServer) berth.webServer();
    var context = (org.apache.catalina.Context) web.getTomcat().getHost().findChildren()[0];
    return context.getManager().findSessions();
  }

  @Test
  @Order(9)
  void runsASyncTaskAndShowsItsLog() {
    signIn();
    page.navigate("/tasks");
    assertThat(page.locator(".empty h2")).hasText("No task runs yet");
    page.getByText("New task").first().click();
    page.getByLabel("Name").fill("report");
    page.getByLabel("Image").fill(image);
    page.getByLabel("Command").fill("sh -c 'echo report from the portal; echo second line'");
    page.locator("#triggerType").selectOption("now");
    page.locator("#mode").selectOption("sync");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task")).click();

    assertThat(page).hasURL(Pattern.compile(".*/runs/report-1$"));
    assertThat(page.locator("#run-state .badge")).hasText("succeeded");
    assertThat(page.locator("#run-log")).containsText("report from the portal");
    assertThat(page.locator("#run-log")).containsText("second line");
    Browser.screenshot(page, "task-run");

    page.navigate("/tasks");
    Locator row = page.locator("tr[data-run=report-1]");
    assertThat(row).containsText("succeeded");
    page.onDialog(d -> d.accept());
    row.getByRole(AriaRole.BUTTON).click();
    assertThat(page.locator(".flash.notice")).containsText("Deleted run report-1");
    assertThat(page.locator("tr[data-run=report-1]")).hasCount(0);
  }

  @Test
  @Order(10)
  void theTaskListShowsWhenACronTaskFiresNextInItsTimeZone() {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/tasks",
            """
        {"name":"tokyo-report","image":"%s","command":["true"],"trigger":{"type":"cron","cron":"15 9 * * *","timezone":"Asia/Tokyo"}}"""
                .formatted(image));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    try {
      signIn();
      page.navigate("/tasks");
      assertThat(page.locator("tr[data-task=tokyo-report] .next-fire"))
          .containsText(Pattern.compile(" 09:15:00 Asia/Tokyo$"));
    } finally {
      berth.call("DELETE", "/api/v1/tasks/tokyo-report", null);
    }
  }

  @Test
  @Order(10)
  void theRunsPageShowsWhyAnOfflineRunWaitsAndItCanBeCancelledThere() {
    java.time.Instant now = java.time.Instant.now();
    java.time.format.DateTimeFormatter hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
    java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
    String window =
        now.plusSeconds(6 * 3600).atZone(zone).format(hhmm)
            + "-"
            + now.plusSeconds(7 * 3600).atZone(zone).format(hhmm);
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/tasks",
            """
        {"name":"night-batch","image":"%s","command":["true"],"placement":"offline","window":"%s","windowTimeZone":"Asia/Shanghai"}"""
                .formatted(image, window));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    try {
      signIn();
      page.navigate("/tasks");
      Locator row = page.locator("tr[data-run=night-batch-1]");
      assertThat(row.locator(".badge")).hasText("waiting");
      assertThat(row.locator(".waiting-reason"))
          .hasText(
              Pattern.compile(
                  "^waiting for window "
                      + window
                      + " Asia/Shanghai, opens at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d\\+08:00$"));
      assertThat(page.locator("tr[data-task=night-batch] .placement"))
          .hasText("offline · window " + window + " Asia/Shanghai");
      Browser.screenshot(page, "task-run-waiting");

      row.getByText("Details").click();
      assertThat(page.locator("#run-state")).containsText("waiting for window " + window);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel run")).click();
      assertThat(page.locator("#run-state .badge")).hasText("cancelled");
    } finally {
      berth.call("DELETE", "/api/v1/tasks/night-batch", null);
      berth.call("DELETE", "/api/v1/runs/night-batch-1", null);
    }
  }

  @Test
  @Order(10)
  void showsTheTaskFormsFieldErrors() {
    signIn();
    page.navigate("/tasks/new");
    page.getByLabel("Name").fill("Bad Task");
    page.locator("#triggerType").selectOption("cron");
    page.getByLabel("Cron (for “cron”)").fill("every minute please");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create task")).click();
    assertThat(page.locator(".field:has(#name) .field-error")).not().hasCount(0);
    assertThat(page.locator(".field:has(#cron) .field-error")).not().hasCount(0);
    assertThat(page.locator(".field:has(#image) .field-error")).not().hasCount(0);
    assertThat(page.getByLabel("Cron (for “cron”)")).hasValue("every minute please");
  }
}
