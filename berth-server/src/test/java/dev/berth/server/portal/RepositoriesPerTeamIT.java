package dev.berth.server.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.oci.testing.TestImages;
import dev.berth.oci.testing.TestRegistry;
import dev.berth.server.it.BerthServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Repositories per team against a real Berth and docker-registry: registry {@code main} holds
 * {@code shop/web}, {@code search/index} and {@code library/busybox}; prefix {@code shop/} belongs
 * to team shop (member sam), {@code search/} to team search (member sue). Each sees their team's
 * repositories and the unclaimed one, another team's repository is missing to them, a build of shop
 * into search's prefix is refused before it starts, and a token narrowed to {@code registry.notify}
 * delivers notifications and nothing else. An app or task of shop may not run search's images (its
 * own and unclaimed ones it may), whoever creates it, nor receive one by a pipeline's promotion. In
 * Chromium: the prefixes on the images page, a member's filtered browse view and the app form's
 * error under the image field.
 */
class RepositoriesPerTeamIT {
  static final String BRIDGE = "berthit218";
  static final String PASSWORD = "member-password-1";
  static TestRegistry registry;
  static BerthServer berth;
  static String sam;
  static String sue;

  @BeforeAll
  static void start() throws Exception {
    registry = TestRegistry.start();
    for (String repo : List.of("shop/web", "search/index", "library/busybox")) {
      TestImages.pushBusybox(registry.host() + "/" + repo + ":1", repo);
    }
    TestImages.pushBusybox(registry.host() + "/search/index:2", "search/index 2");
    berth =
        new BerthServer(
                Files.createTempDirectory("berth-it-218-"),
                BRIDGE,
                "10.203.218.0/24",
                "berth-it218")
            .start();
    admin("POST", "/api/v1/registries", "{\"name\":\"main\",\"url\":\"" + registry.url() + "\"}");
    sam = member("sam", "shop");
    sue = member("sue", "search");
    admin(
        "POST",
        "/api/v1/registries/main/repository-teams",
        "{\"prefix\":\"shop\",\"team\":\"shop\"}");
    admin(
        "POST",
        "/api/v1/registries/main/repository-teams",
        "{\"prefix\":\"search/\",\"team\":\"search\"}");
  }

  @AfterAll
  static void stop() {
    try {
      if (berth != null) {
        berth.closeAndCleanUp(BRIDGE);
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @Test
  void eachMemberBrowsesTheirTeamsRepositoriesAndTheSharedOnesAdminsAll() {
    assertThat(repositories(sam))
        .contains("shop/web", "library/busybox")
        .doesNotContain("search/index");
    assertThat(repositories(sue))
        .contains("search/index", "library/busybox")
        .doesNotContain("shop/web");
    assertThat(repositories(BerthServer.TOKEN))
        .contains("shop/web", "search/index", "library/busybox");

    HttpResponse<String> foreign =
        berth.call("GET", "/api/v1/images/tags?registry=main&repository=search/index", null, sam);
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(404);
    assertThat(
            berth
                .call("GET", "/api/v1/images/tags?registry=main&repository=search/index", null, sue)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            berth
                .call(
                    "GET",
                    "/api/v1/images/manifests?registry=main&repository=search/index&reference=1",
                    null,
                    sam)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aBuildIntoAnotherTeamsPrefixIsRefusedBeforeItStartsAndOneIntoItsOwnPushes() {
    HttpResponse<String> foreign =
        berth.call("POST", "/api/v1/builds?team=shop", buildJson("search/evil:1"), sam);
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(400);
    JsonNode problem = BerthServer.json(foreign.body());
    assertThat(problem.at("/errors/0/field").asText()).isEqualTo("image");
    assertThat(problem.at("/errors/0/message").asText())
        .contains("belongs to team 'search'", "under shop/");
    assertThat(berth.get("/api/v1/builds?size=100").path("items").toString())
        .doesNotContain("search/evil");

    HttpResponse<String> own =
        berth.call("POST", "/api/v1/builds?team=shop", buildJson("shop/api:1"), sam);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(202);
    long id = BerthServer.json(own.body()).path("id").asLong();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !berth
                    .get("/api/v1/builds/" + id)
                    .path("state")
                    .asText()
                    .matches("queued|running"));
    assertThat(berth.get("/api/v1/builds/" + id).path("state").asText()).isEqualTo("succeeded");
    assertThat(repositories(sam)).contains("shop/api");
    assertThat(repositories(sue)).doesNotContain("shop/api");
  }

  @Test
  void anAppOfOneTeamRunsItsOwnAndSharedImagesButNotAnotherTeamsAndNothingIsCreated() {
    HttpResponse<String> foreign =
        call("POST", "/api/v1/apps", appJson("shop-spy", "search/index"), sam);
    assertThat(field(foreign)).isEqualTo("image");
    assertThat(BerthServer.json(foreign.body()).at("/errors/0/message").asText())
        .contains("belongs to team 'search'", "team 'shop' runs only images under shop/");
    assertThat(call("GET", "/api/v1/apps/shop-spy", null, BerthServer.TOKEN).statusCode())
        .as("nothing created")
        .isEqualTo(404);
    HttpResponse<String> byAdmin =
        call("POST", "/api/v1/apps", appJson("shop-spy", "search/index"), BerthServer.TOKEN);
    assertThat(field(byAdmin)).as("the app's team is judged, not the caller").isEqualTo("image");

    HttpResponse<String> own = call("POST", "/api/v1/apps", appJson("shop-own", "shop/web"), sam);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    HttpResponse<String> shared =
        call("POST", "/api/v1/apps", appJson("shop-shared", "library/busybox"), sam);
    assertThat(shared.statusCode()).as(shared.body()).isEqualTo(201);

    JsonNode before = berth.get("/api/v1/apps/shop-own");
    HttpResponse<String> patched =
        berth.patch(
            "/api/v1/apps/shop-own", "{\"image\":\"" + registry.host() + "/search/index:1\"}", sam);
    assertThat(field(patched)).isEqualTo("image");
    HttpResponse<String> released =
        call(
            "POST",
            "/api/v1/apps/shop-own/releases",
            "{\"image\":\"" + registry.host() + "/search/index:1\",\"strategy\":\"all-at-once\"}",
            sam);
    assertThat(field(released)).isEqualTo("image");
    JsonNode after = berth.get("/api/v1/apps/shop-own");
    assertThat(after.path("image").asText()).isEqualTo(registry.host() + "/shop/web:1");
    assertThat(after.path("revision").asLong()).isEqualTo(before.path("revision").asLong());
  }

  @Test
  void aPipelineCannotPromoteAnotherTeamsImageIntoAnAppOfShop() {
    admin(
        "POST",
        "/api/v1/apps",
        "{\"name\":\"search-src\",\"team\":\"search\",\"image\":\""
            + registry.host()
            + "/search/index:1\",\"command\":[\"sleep\",\"3600\"],\"instances\":1}");
    admin("POST", "/api/v1/apps", appJson("shop-prod", "shop/web"));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                berth
                    .get("/api/v1/apps/search-src")
                    .at("/status/phase")
                    .asText()
                    .equals("Running"));
    long release =
        admin(
                "POST",
                "/api/v1/apps/search-src/releases",
                "{\"image\":\""
                    + registry.host()
                    + "/search/index:2\",\"strategy\":\"all-at-once\"}")
            .path("id")
            .asLong();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                berth
                    .get("/api/v1/apps/search-src/releases/" + release)
                    .path("state")
                    .asText()
                    .equals("succeeded"));
    admin(
        "POST",
        "/api/v1/pipelines",
        "{\"name\":\"leak\",\"team\":\"search\",\"environments\":[{\"name\":\"src\",\"app\":\"search-src\"},"
            + "{\"name\":\"prod\",\"app\":\"shop-prod\",\"requiresApproval\":true}]}");

    HttpResponse<String> promoted =
        call("POST", "/api/v1/pipelines/leak/promote", "{\"from\":\"src\"}", BerthServer.TOKEN);
    assertThat(field(promoted)).isEqualTo("from");
    assertThat(BerthServer.json(promoted.body()).at("/errors/0/message").asText())
        .contains("search/index", "belongs to team 'search'", "team 'shop' runs only images");
    assertThat(berth.get("/api/v1/pipelines/leak/promotions").path("items").size())
        .as("no promotion awaits an approval that could never release it")
        .isZero();
    assertThat(berth.get("/api/v1/apps/shop-prod").path("image").asText())
        .isEqualTo(registry.host() + "/shop/web:1");
  }

  @Test
  void aTaskOfOneTeamCannotRunAnotherTeamsImage() {
    HttpResponse<String> foreign =
        call("POST", "/api/v1/tasks", taskJson("shop-spy-task", "search/index"), sam);
    assertThat(field(foreign)).isEqualTo("image");
    assertThat(BerthServer.json(foreign.body()).at("/errors/0/message").asText())
        .contains("belongs to team 'search'", "ask team 'search'");
    assertThat(call("GET", "/api/v1/tasks/shop-spy-task", null, BerthServer.TOKEN).statusCode())
        .isEqualTo(404);

    HttpResponse<String> own =
        call("POST", "/api/v1/tasks", taskJson("shop-own-task", "shop/web"), sam);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    HttpResponse<String> searchOwn =
        call("POST", "/api/v1/tasks", taskJson("search-own-task", "search/index"), sue);
    assertThat(searchOwn.statusCode()).as(searchOwn.body()).isEqualTo(201);
  }

  @Test
  void prefixesAreCheckedAuditedAndSharedAgainOnRemoval() {
    assertThat(
            call(
                    "POST",
                    prefixes(),
                    "{\"prefix\":\"shop/\",\"team\":\"search\"}",
                    BerthServer.TOKEN)
                .statusCode())
        .as("shop/ is taken")
        .isEqualTo(409);
    assertThat(
            field(
                call(
                    "POST",
                    prefixes(),
                    "{\"prefix\":\"a//b\",\"team\":\"shop\"}",
                    BerthServer.TOKEN)))
        .isEqualTo("prefix");
    assertThat(
            field(
                call(
                    "POST",
                    prefixes(),
                    "{\"prefix\":\"x/\",\"team\":\"nope\"}",
                    BerthServer.TOKEN)))
        .isEqualTo("team");
    HttpResponse<String> byMember =
        call("POST", prefixes(), "{\"prefix\":\"library/\",\"team\":\"shop\"}", sam);
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(BerthServer.json(byMember.body()).path("permission").asText())
        .isEqualTo("registry.manage");

    admin("POST", prefixes(), "{\"prefix\":\"library/\",\"team\":\"shop\"}");
    assertThat(repositories(sue)).doesNotContain("library/busybox");
    assertThat(berth.get(prefixes()).path("items").findValuesAsText("prefix"))
        .contains("library/", "search/", "shop/");
    assertThat(
            call("DELETE", prefixes() + "?prefix=library/", null, BerthServer.TOKEN).statusCode())
        .isEqualTo(204);
    assertThat(repositories(sue)).contains("library/busybox");
    assertThat(
            call("DELETE", prefixes() + "?prefix=library/", null, BerthServer.TOKEN).statusCode())
        .isEqualTo(404);

    JsonNode events = berth.get("/api/v1/events?object=registry/main&size=50").path("items");
    assertThat(events.findValuesAsText("reason"))
        .contains("RepositoriesGiven", "RepositoriesShared");
    assertThat(events.findValuesAsText("message"))
        .contains("library/ no longer belongs to team 'shop'");
    JsonNode audit = berth.get("/api/v1/audit?size=50&action=repository-team.create").path("items");
    assertThat(audit.findValuesAsText("result")).contains("ok", "denied");
    assertThat(
            berth
                .get("/api/v1/audit?size=5&action=repository-team.delete")
                .at("/items/0/team")
                .asText())
        .isEqualTo("shop");
  }

  @Test
  void aTokenNarrowedToRegistryNotifyDeliversNotificationsAndNothingElse() {
    JsonNode issued =
        BerthServer.json(
            call(
                    "POST",
                    "/api/v1/users/admin/tokens",
                    "{\"name\":\"registry-hook\",\"permission\":\"registry.notify\"}",
                    BerthServer.TOKEN)
                .body());
    assertThat(issued.path("permission").asText()).isEqualTo("registry.notify");
    String hook = issued.path("secret").asText();

    HttpResponse<String> notified =
        call("POST", "/api/v1/registries/main/events", "{\"events\":[]}", hook);
    assertThat(notified.statusCode()).as(notified.body()).isEqualTo(202);
    for (String path :
        List.of("/api/v1/apps", "/api/v1/registries", "/api/v1/users/admin/tokens")) {
      HttpResponse<String> other = call("GET", path, null, hook);
      assertThat(other.statusCode()).as(path + ": " + other.body()).isEqualTo(403);
      assertThat(BerthServer.json(other.body()).path("narrowedTo").asText())
          .isEqualTo("registry.notify");
    }
    assertThat(berth.get("/api/v1/users/admin/tokens").path("items").findValuesAsText("permission"))
        .contains("registry.notify");

    HttpResponse<String> bySam =
        call(
            "POST",
            "/api/v1/users/sam/tokens",
            "{\"name\":\"hook\",\"permission\":\"registry.notify\"}",
            sam);
    assertThat(bySam.statusCode()).as("sam does not hold registry.notify").isEqualTo(403);
    assertThat(
            field(
                call(
                    "POST",
                    "/api/v1/users/sam/tokens",
                    "{\"name\":\"x\",\"permission\":\"app.read\"}",
                    sam)))
        .isEqualTo("permission");
  }

  @Test
  void theImagesPageShowsThePrefixesAndAMemberOnlyTheirRepositories() {
    Assumptions.assumeTrue(
        Browser.available(), "Debian's chromium is not installed (apt-get install chromium)");
    try (Browser browser = Browser.launch()) {
      Page admin = signIn(browser, "admin", "integration-test-password");
      admin.navigate("/images?registry=main");
      PlaywrightAssertions.assertThat(
              admin.locator("#repository-teams tr[data-prefix='shop/'] td").nth(1))
          .hasText("shop");
      admin.getByLabel("Prefix").fill("tools/");
      admin.getByLabel("Team").fill("search");
      admin.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Give to team")).click();
      PlaywrightAssertions.assertThat(admin.locator(".flash.notice"))
          .containsText("tools/ now belong to team search");
      PlaywrightAssertions.assertThat(admin.locator("#repository-teams tr[data-prefix='tools/']"))
          .isVisible();
      Browser.screenshot(admin, "repositories-per-team-admin");

      Page member = signIn(browser, "sam", PASSWORD);
      member.navigate("/images?registry=main");
      PlaywrightAssertions.assertThat(
              member.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("shop/web")))
          .isVisible();
      PlaywrightAssertions.assertThat(member.getByText("search/index")).hasCount(0);
      PlaywrightAssertions.assertThat(
              member.getByRole(
                  AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Give to team")))
          .hasCount(0);
      Browser.screenshot(member, "repositories-per-team-member");

      member.navigate("/apps/new");
      member.getByLabel("Name").fill("shop-form-spy");
      member.getByLabel("Team").fill("shop");
      member.getByLabel("Image").fill(registry.host() + "/search/index:1");
      member
          .getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create application"))
          .click();
      PlaywrightAssertions.assertThat(member.locator(".field.invalid:has(#image) .field-error"))
          .containsText("belongs to team 'search'");
      PlaywrightAssertions.assertThat(member.locator(".field.invalid")).hasCount(1);
      Browser.screenshot(member, "repositories-per-team-app-form");
    }
  }

  // --- helpers ---

  static Page signIn(Browser browser, String user, String password) {
    Page page = browser.newPage(berth.baseUrl(), 60_000);
    page.navigate("/images");
    page.getByLabel("User name").fill(user);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    PlaywrightAssertions.assertThat(page.locator(".topbar h1")).hasText("Images");
    return page;
  }

  static String prefixes() {
    return "/api/v1/registries/main/repository-teams";
  }

  static List<String> repositories(String token) {
    HttpResponse<String> r = call("GET", "/api/v1/images?registry=main&size=100", null, token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> names = new java.util.ArrayList<>();
    BerthServer.json(r.body()).path("items").forEach(n -> names.add(n.asText()));
    return names;
  }

  static String buildJson(String repository) {
    return "{\"image\":\""
        + registry.host()
        + "/"
        + repository
        + "\",\"base\":\"scratch\",\"files\":[{\"path\":\"/hello\",\"content\":\"hi\\n\"}]}";
  }

  /** An app of team shop without instances, running {@code repository}'s tag 1. */
  static String appJson(String name, String repository) {
    return "{\"name\":\""
        + name
        + "\",\"team\":\"shop\",\"image\":\""
        + registry.host()
        + "/"
        + repository
        + ":1\",\"command\":[\"sleep\",\"3600\"],\"instances\":0}";
  }

  /** A task of the team that owns {@code repository}'s prefix or shop, fired by a yearly cron. */
  static String taskJson(String name, String repository) {
    return "{\"name\":\""
        + name
        + "\",\"team\":\""
        + (name.startsWith("search") ? "search" : "shop")
        + "\",\"image\":\""
        + registry.host()
        + "/"
        + repository
        + ":1\",\"command\":[\"true\"],\"trigger\":{\"type\":\"cron\",\"cron\":\"0 3 1 1 *\"}}";
  }

  static String field(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    return BerthServer.json(r.body()).at("/errors/0/field").asText();
  }

  static HttpResponse<String> call(String method, String path, String body, String token) {
    return berth.call(method, path, body, token);
  }

  static JsonNode admin(String method, String path, String body) {
    HttpResponse<String> r = call(method, path, body, BerthServer.TOKEN);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return BerthServer.json(r.body());
  }

  /** A member of a new team with a developer role there: their token. */
  static String member(String user, String team) {
    admin("POST", "/api/v1/teams", "{\"name\":\"" + team + "\"}");
    admin(
        "POST",
        "/api/v1/users",
        "{\"name\":\"" + user + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}");
    admin("PUT", "/api/v1/teams/" + team + "/members/" + user, "{\"role\":\"developer\"}");
    return admin("POST", "/api/v1/users/" + user + "/tokens", "{\"name\":\"it\"}")
        .path("secret")
        .asText();
  }
}
