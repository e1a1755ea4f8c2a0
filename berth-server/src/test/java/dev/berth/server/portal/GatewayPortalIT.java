package dev.berth.server.portal;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.it.BerthServer;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Gateway page and an app's routes in Debian's Chromium, against a real Berth driving a real
 * nginx: status with the config hash and reloads, the routes of every app, a mirror.
 */
class GatewayPortalIT {
  static final String BRIDGE = "berthit166";
  static final double WAIT_MS = 60_000;
  static TestRegistry registry;
  static BerthServer berth;
  static Browser browser;
  static String image;
  static Path gatewayDir;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        Browser.available(), "Debian's chromium is not installed (apt-get install chromium)");
    registry = TestRegistry.start();
    image = TestImages.pushBusybox(registry.host() + "/demo/busybox:1", "portal gateway");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    berth =
        new BerthServer(
                Files.createTempDirectory("berth-it-166-"),
                BRIDGE,
                "10.203.166.0/24",
                "berth-it166")
            .with("berth.gateway.enabled", "true")
            .with("berth.gateway.http-port", String.valueOf(port))
            .with("berth.gateway.listen-address", "127.0.0.1")
            .start();
    gatewayDir = berth.dataDir().resolve("gateway");
    browser = Browser.launch();
  }

  @AfterAll
  static void stop() throws Exception {
    Long master = null;
    if (gatewayDir != null && Files.exists(gatewayDir.resolve("nginx.pid"))) {
      master = Long.parseLong(Files.readString(gatewayDir.resolve("nginx.pid")).strip());
    }
    try {
      if (browser != null) {
        browser.close();
      }
      if (berth != null) {
        berth.closeAndCleanUp(BRIDGE);
      }
      if (registry != null) {
        registry.close();
      }
    } finally {
      if (master != null) {
        ProcessHandle.of(master)
            .ifPresent(
                m -> {
                  List<ProcessHandle> workers = m.children().toList();
                  m.destroyForcibly();
                  workers.forEach(ProcessHandle::destroyForcibly);
                });
      }
    }
  }

  static String app(String name, String routes) {
    return """
        {"name":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],
         "ports":[{"name":"http","port":8080}],"resources":{"cpu":0.1,"memoryMiB":16},
         "instances":1,"routes":%s}
        """
        .formatted(name, image, routes);
  }

  @Test
  void showsTheGatewaysStatusRoutesAndMirrorsAndAnAppsRoutes() {
    HttpResponse<String> shop =
        berth.call(
            "POST",
            "/api/v1/apps",
            app("shop", "[{\"host\":\"shop.example.com\",\"path\":\"/\",\"port\":\"http\"}]"));
    assertThat(shop.statusCode()).as(shop.body()).isEqualTo(201);
    berth.call("POST", "/api/v1/apps", app("next", "[]"));
    HttpResponse<String> mirror =
        berth.call("PUT", "/api/v1/apps/shop/mirror", "{\"target\":\"next\",\"percent\":25}");
    assertThat(mirror.statusCode()).as(mirror.body()).isEqualTo(200);
    String hash = berth.get("/api/v1/gateway").path("configHash").asText();

    Page page = browser.newPage(berth.baseUrl(), WAIT_MS);
    page.navigate("/gateway");
    page.getByLabel("User name").fill("admin");
    page.getByLabel("Password").fill("integration-test-password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.locator(".sidebar a.active")).hasText("Gateway");
    assertThat(page.locator("#gateway-running"))
        .hasText("running", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(page.locator("#gateway-routes tbody tr")).containsText("shop.example.com");
    assertThat(page.locator("#gateway-mirrors tbody tr")).containsText("next:http");
    assertThat(page.locator("#gateway-mirrors tbody tr")).containsText("25 %");
    page.reload();
    assertThat(page.locator("#gateway-hash"))
        .not()
        .hasText("", new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    assertThat(hash).isNotBlank();
    Browser.screenshot(page, "gateway");

    page.locator("#gateway-routes").getByRole(AriaRole.LINK).first().click();
    assertThat(page.locator("#app-routes")).containsText("shop.example.com/ → http");
    Browser.screenshot(page, "gateway-app-routes");
    page.context().close();
  }
}
