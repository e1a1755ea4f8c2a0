package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.it.BerthServer;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * What a portal test class needs: a real registry with the busybox demo image, a Berth server with
 * the local cluster on the class's own bridge ({@code berthit<n>}, subnet {@code 10.203.<n>.0/24})
 * and headless Chromium. Skips with the reason when Chromium is missing.
 */
final class PortalFixture implements AutoCloseable {
  static final String ADMIN_PASSWORD = "integration-test-password";
  static final double WAIT_MS = 60_000;

  final TestRegistry registry;
  final String image;
  final BerthServer berth;
  final Browser browser;
  private final String bridge;

  private PortalFixture(
      TestRegistry registry, String image, BerthServer berth, Browser browser, String bridge) {
    this.registry = registry;
    this.image = image;
    this.berth = berth;
    this.browser = browser;
    this.bridge = bridge;
  }

  static PortalFixture start(int n, String pageText) throws Exception {
    return start(n, pageText, java.util.Map.of());
  }

  /** As {@link #start(int, String)}, with extra server settings. */
  static PortalFixture start(
      int n, String pageText, java.util.Map<String, String> settings, Class<?>... beans)
      throws Exception {
    Assumptions.assumeTrue(
        Browser.available(), "Debian's chromium is not installed (apt-get install chromium)");
    TestRegistry registry = TestRegistry.start();
    BerthServer berth = null;
    try {
      String image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", pageText);
      String bridge = "berthit" + n;
      berth =
          new BerthServer(
              Files.createTempDirectory("berth-it-portal-" + n + "-"),
              bridge,
              "10.203." + n + ".0/24",
              "berth-it" + n);
      settings.forEach(berth::with);
      for (Class<?> b : beans) {
        berth.withBeans(b);
      }
      berth.start();
      return new PortalFixture(registry, image, berth, Browser.launch(), bridge);
    } catch (Exception | Error e) {
      if (berth != null) {
        berth.close();
      }
      registry.close();
      throw e;
    }
  }

  Page newPage() {
    return browser.newPage(berth.baseUrl(), WAIT_MS);
  }

  /** Signs in through the form and lands on the applications. */
  static void signIn(Page page, String user, String password) {
    page.navigate("/apps");
    page.getByLabel("User name").fill(user);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(Pattern.compile(".*/apps(\\?continue)?$"));
  }

  static void close(PortalFixture fixture) {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      try {
        berth.closeAndCleanUp(bridge);
      } finally {
        registry.close();
      }
    }
  }
}
