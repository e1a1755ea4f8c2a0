package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web terminal in headless Chromium against a real Berth: the Terminal action on a running
 * instance opens xterm.js on the terminal socket (signed in with the portal's session), a typed
 * command's output appears on the screen, and the audit log names the session, opened and then
 * closed with how long it lasted. The page's "Run a command" form runs one command without a
 * terminal and shows its output and exit code.
 */
class TerminalPortalIT {
  static PortalFixture fixture;
  static BerthServer berth;

  @BeforeAll
  static void start() throws Exception {
    fixture = PortalFixture.start(211, "terminal portal");
    berth = fixture.berth;
  }

  @AfterAll
  static void stop() {
    PortalFixture.close(fixture);
  }

  /** Creates app {@code name} with one instance running {@code command} and waits for it. */
  static void running(String name, String command) {
    HttpResponse<String> created =
        berth.call(
            "POST",
            "/api/v1/apps",
            """
            {"name":"%s","image":"%s","instances":1,"command":%s}"""
                .formatted(name, fixture.image, command));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                berth
                    .get("/api/v1/apps/" + name + "/instances")
                    .path("items")
                    .path(0)
                    .path("state")
                    .asText()
                    .equals("running"));
  }

  @Test
  void aCommandTypedInTheTerminalShowsItsOutputAndTheAuditLogNamesTheSession() {
    running("box", "[\"sh\",\"-c\",\"while true; do sleep 1; done\"]");
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/apps/box");
      page.locator("tr[data-instance='box-0'] a.terminal-action").click();
      Locator status = page.locator("#terminal-status");
      assertThat(status).containsText("session");
      String session = status.getAttribute("data-session");

      page.locator("#terminal .xterm").click();
      page.keyboard().type("echo hi-$((6*7))");
      page.keyboard().press("Enter");
      assertThat(page.locator("#terminal .xterm-rows")).containsText("hi-42");
      Browser.screenshot(page, "terminal-in-an-instance");

      page.navigate("/audit?action=instance.exec");
      assertThat(page.locator("main")).containsText("terminal session " + session + " opened");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                page.reload();
                assertThat(page.locator("main"))
                    .containsText("terminal session " + session + " closed after");
              });
      Browser.screenshot(page, "terminal-audit-log");
    } finally {
      page.close();
    }
  }

  @Test
  void theRunACommandFormShowsTheOutputAndExitCodeAndTheAuditLogTheCommand() {
    running("once", "[\"sleep\",\"3600\"]");
    Page page = fixture.newPage();
    try {
      PortalFixture.signIn(page, "admin", PortalFixture.ADMIN_PASSWORD);
      page.navigate("/apps/once/instances/once-0/terminal");
      assertThat(page.locator("#terminal-status")).containsText("session");
      page.locator("#exec-submit").click();
      assertThat(page.locator("#exec-error")).containsText("command: is required");

      page.locator("#exec-command").fill("echo out-$((6*7)); exit 4");
      page.locator("#exec-submit").click();
      assertThat(page.locator("#exec-status")).hasText("Exit code 4");
      assertThat(page.locator("#exec-output")).hasText("out-42\n");
      assertThat(page.locator("#exec-error")).hasCount(0);
      // the terminal above stays connected: the result came without reloading the page
      assertThat(page.locator("#terminal-status")).hasAttribute("data-state", "open");
      Browser.screenshot(page, "run-a-command-in-an-instance");

      page.navigate("/audit?action=instance.exec");
      assertThat(page.locator("main"))
          .containsText("exec sh -c 'echo out-$((6*7)); exit 4': exited with 4");
    } finally {
      page.close();
    }
  }
}
