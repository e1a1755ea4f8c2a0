package dev.berth.server.it;

import static dev.berth.server.it.PermissionMatrixIT.Want.AUTH;
import static dev.berth.server.it.PermissionMatrixIT.Want.DENY;
import static dev.berth.server.it.PermissionMatrixIT.Want.HIDE;
import static dev.berth.server.it.PermissionMatrixIT.Want.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The permission matrix: ONE table with a row per API endpoint (method and path pattern) saying,
 * for each kind of caller, whether the call is allowed, refused with 403, answered 404 as if the
 * object did not exist (objects of a team the caller cannot read), or refused with 401. Every
 * endpoint Spring serves under {@code /api/} must have a row, so a new endpoint cannot be
 * forgotten; every allowed change must then appear in the audit log under the caller's name, and
 * every refused one as denied.
 *
 * <p>The objects live in team {@code alpha}: app {@code web} (one instance), app {@code spare}
 * (none), task {@code job}, build {@code alphaBuild}; registry {@code main} (the test registry),
 * rule {@code mirror} and build template {@code base} are platform objects. Callers: an admin,
 * alpha's owner, developer, operator and viewer, a developer of team {@code beta} (an outsider), no
 * credentials, an unknown token, and the admin's token narrowed to {@code registry.notify}.
 * Repositories under {@code matrix/} of {@code main} belong to alpha. Destructive calls get a fresh
 * victim object each, created by the admin just before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PermissionMatrixIT {
  /** Who calls. */
  enum Who {
    ANONYMOUS,
    BAD_TOKEN,
    ADMIN,
    OWNER,
    DEVELOPER,
    OPERATOR,
    VIEWER,
    OUTSIDER,
    /** The admin's token narrowed to {@code registry.notify}: a registry's notifications only. */
    NOTIFIER
  }

  /**
   * What the call must get: allowed (any answer but 401, 403 or a hiding 404), 403, a 404 that
   * hides, 401.
   */
  enum Want {
    OK,
    DENY,
    HIDE,
    AUTH
  }

  /**
   * One endpoint: its key (method and pattern as Spring maps it), how to call it, what each caller
   * gets, the audit action of a change.
   */
  record Row(
      String key,
      Function<Who, String> path,
      Function<Who, String> body,
      String auditAction,
      Map<Who, Want> want) {
    String method() {
      return key.substring(0, key.indexOf(' '));
    }
  }

  static final String PASSWORD = "matrix-password";
  static final Map<Who, String> USERS =
      Map.of(
          Who.ADMIN,
          "admin",
          Who.OWNER,
          "olga",
          Who.DEVELOPER,
          "dev",
          Who.OPERATOR,
          "otto",
          Who.VIEWER,
          "vic",
          Who.OUTSIDER,
          "xander");

  LocalBerth fixture;
  BerthServer berth;
  final Map<Who, String> tokens = new EnumMap<>(Who.class);
  final AtomicInteger serial = new AtomicInteger();

  /** What each call got, for the audit check: row, caller, status. */
  final List<Object[]> calls = new ArrayList<>();

  /** A build of team alpha. */
  long alphaBuild;

  long inspection;

  /** The class's bridge number (see {@link LocalBerth#start}). */
  int number() {
    return 30;
  }

  /** The server's settings; a subclass may add to them (another database). */
  Map<String, String> settings(Map<String, String> settings) {
    return settings;
  }

  @BeforeAll
  void start() throws Exception {
    // The bad-token caller calls every row: far more than the guessing throttle allows (its own
    // tests
    // cover it); here it must keep answering 401.
    fixture =
        LocalBerth.start(
            number(),
            "matrix",
            settings(
                Map.of(
                    "berth.security.signin.max-token-failures",
                    "100000",
                    "berth.alert.interval",
                    "1s")));
    berth = fixture.berth;
    tokens.put(Who.ADMIN, BerthServer.TOKEN);
    tokens.put(Who.BAD_TOKEN, "berth_not-a-token-anyone-issued-0123456789abcdef");
    admin("POST", "/api/v1/teams", "{\"name\":\"alpha\"}", 201);
    admin("POST", "/api/v1/teams", "{\"name\":\"beta\"}", 201);
    Map<Who, String> alphaRoles =
        Map.of(
            Who.OWNER,
            "owner",
            Who.DEVELOPER,
            "developer",
            Who.OPERATOR,
            "operator",
            Who.VIEWER,
            "viewer");
    for (Who who : List.of(Who.OWNER, Who.DEVELOPER, Who.OPERATOR, Who.VIEWER, Who.OUTSIDER)) {
      String user = USERS.get(who);
      admin(
          "POST",
          "/api/v1/users",
          "{\"name\":\"" + user + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"member\"}",
          201);
      String team = who == Who.OUTSIDER ? "beta" : "alpha";
      admin(
          "PUT",
          "/api/v1/teams/" + team + "/members/" + user,
          "{\"role\":\"" + alphaRoles.getOrDefault(who, "developer") + "\"}",
          200);
      tokens.put(
          who,
          admin("POST", "/api/v1/users/" + user + "/tokens", "{\"name\":\"matrix\"}", 201)
              .path("secret")
              .asText());
    }
    admin("POST", "/api/v1/users", "{\"name\":\"extra\",\"password\":\"" + PASSWORD + "\"}", 201);
    admin("POST", "/api/v1/apps", appJson("web", 1, "alpha"), 201);
    admin("POST", "/api/v1/apps", appJson("spare", 0, "alpha"), 201);
    admin(
        "POST",
        "/api/v1/tasks",
        taskJson("job", "alpha", "{\"type\":\"cron\",\"cron\":\"0 3 1 1 *\"}"),
        201);
    admin("POST", "/api/v1/tasks/job/runs", null, 202);
    admin(
        "POST",
        "/api/v1/registries",
        "{\"name\":\"main\",\"url\":\"" + fixture.registry.url() + "\"}",
        201);
    admin("POST", "/api/v1/replications", ruleJson("mirror"), 201);
    admin(
        "POST",
        "/api/v1/registries/main/repository-teams",
        "{\"prefix\":\"matrix/\",\"team\":\"alpha\"}",
        201);
    tokens.put(
        Who.NOTIFIER,
        admin(
                "POST",
                "/api/v1/users/admin/tokens",
                "{\"name\":\"notifier\",\"permission\":\"registry.notify\"}",
                201)
            .path("secret")
            .asText());
    admin("POST", "/api/v1/build-templates", templateJson("base"), 201);
    alphaBuild =
        admin("POST", "/api/v1/builds?team=alpha", buildJson("first"), 202).path("id").asLong();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                berth
                    .get("/api/v1/builds/" + alphaBuild)
                    .path("state")
                    .asText()
                    .equals("succeeded"));
    admin("POST", "/api/v1/alert-rules", alertRuleJson("alpha-rule"), 201);
    admin("POST", "/api/v1/receivers", receiverJson("alpha-hook"), 201);
    inspection = admin("POST", "/api/v1/clusters/local/inspections", null, 201).path("id").asLong();
    admin("POST", "/api/v1/clusters/local/pools", "{\"name\":\"fast\"}", 201);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> berth.get("/api/v1/apps/web").path("status").path("ready").asInt() == 1);
    admin("POST", "/api/v1/apps", appJson("spare-prod", 0, "alpha"), 201);
    // No bastion: an approved promotion's release fits an app without instances.
    admin("PUT", "/api/v1/apps/spare-prod/release-strategy", "{\"bastion\":0}", 200);
    admin("POST", "/api/v1/pipelines", pipelineJson("flow"), 201);
  }

  @AfterAll
  void stop() {
    LocalBerth.close(fixture);
  }

  List<Row> table() {
    List<Row> rows = new ArrayList<>();
    // --- applications ---
    rows.add(row("GET /api/v1/apps", w -> "/api/v1/apps", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/apps",
            w -> "/api/v1/apps",
            w -> appJson("new-" + next(), 0, "alpha"),
            "app.create",
            creators(DEV)));
    rows.add(row("GET /api/v1/apps/{app}", w -> "/api/v1/apps/web", null, null, readers()));
    rows.add(
        row(
            "PUT /api/v1/apps/{app}",
            w -> "/api/v1/apps/spare",
            w ->
                appJson("spare", 0, "alpha")
                    .replace("\"MODE\":\"x\"", "\"MODE\":\"" + next() + "\"")
                    .replace(
                        "\"instances\":",
                        "\"version\":"
                            + berth.get("/api/v1/apps/spare").path("version").asLong()
                            + ",\"instances\":"),
            "app.update-spec",
            inTeam(DEV)));
    rows.add(
        row(
            "PATCH /api/v1/apps/{app}",
            w -> "/api/v1/apps/spare",
            w -> "{\"env\":{\"MODE\":\"" + next() + "\"}}",
            "app.update-spec",
            inTeam(DEV)));
    rows.add(
        row(
            "POST /api/v1/apps/{app}/scale",
            w -> "/api/v1/apps/spare/scale",
            w -> "{\"instances\":0}",
            "app.scale",
            inTeam(OPS)));
    rows.add(
        row(
            "POST /api/v1/apps/{app}/resize",
            w -> "/api/v1/apps/spare/resize",
            w -> "{\"memoryMiB\":" + (100 + serial.incrementAndGet()) + "}",
            "app.resize",
            inTeam(OPS)));
    rows.add(row("DELETE /api/v1/apps/{app}", w -> victimApp(), null, "app.delete", inTeam(DEV)));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/revisions",
            w -> "/api/v1/apps/web/revisions",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/instances",
            w -> "/api/v1/apps/web/instances",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/instances/{id}/logs",
            w -> "/api/v1/apps/web/instances/web-0/logs?tail=5",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/logs",
            w -> "/api/v1/apps/web/logs?tail=5&timestamps=true",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/manifests",
            w -> "/api/v1/apps/web/manifests",
            null,
            null,
            readers()));
    rows.add(
        row(
            "POST /api/v1/apps/{app}/instances/{instance}/exec",
            w -> "/api/v1/apps/web/instances/web-0/exec",
            w -> "{\"command\":[\"true\"],\"timeoutSeconds\":10}",
            "instance.exec",
            inTeam(DEV)));
    rows.add(
        row(
            "POST /api/v1/apps/{app}/instances/{id}/restart",
            w -> "/api/v1/apps/web/instances/web-0/restart",
            null,
            "app.restart",
            inTeam(OPS)));
    rows.add(
        row(
            "DELETE /api/v1/apps/{app}/instances/{id}",
            w -> webInstanceBack("/api/v1/apps/web/instances/web-0?replace=true"),
            null,
            "instance.delete",
            inTeam(DEV)));
    // --- traffic: discovery and instances offline/online ---
    rows.add(
        row(
            "GET /api/v1/apps/{app}/endpoints",
            w -> "/api/v1/apps/web/endpoints?all=true",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/endpoints",
            w -> "/api/v1/apps/web/endpoints?watch=true",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/endpoints",
            w -> "/api/v1/apps/web/endpoints?version=0",
            null,
            null,
            readers()));
    rows.add(
        row(
            "POST /api/v1/apps/{app}/instances/{id}/offline",
            w -> webInstanceBack("/api/v1/apps/web/instances/web-0/offline"),
            null,
            "instance.offline",
            inTeam(OPS)));
    rows.add(
        row(
            "POST /api/v1/apps/{app}/instances/{id}/online",
            w -> webInstanceBack("/api/v1/apps/web/instances/web-0/online"),
            null,
            "instance.online",
            inTeam(OPS)));
    rows.add(
        row(
            "PUT /api/v1/apps/{app}/instances/{id}/weight",
            w -> webInstanceBack("/api/v1/apps/web/instances/web-0/weight"),
            w -> "{\"weight\":100}",
            "instance.weight",
            inTeam(OPS)));
    // --- gateway and mirroring (the gateway is off here: allowed calls get 409) ---
    rows.add(row("GET /api/v1/gateway", w -> "/api/v1/gateway", null, null, everyone()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/mirror",
            w -> "/api/v1/apps/web/mirror",
            null,
            null,
            readers()));
    rows.add(
        row(
            "PUT /api/v1/apps/{app}/mirror",
            w -> "/api/v1/apps/web/mirror",
            w -> "{\"target\":\"spare\",\"percent\":10}",
            "app.mirror",
            inTeam(DEV)));
    rows.add(
        row(
            "DELETE /api/v1/apps/{app}/mirror",
            w -> "/api/v1/apps/web/mirror",
            null,
            "app.mirror-delete",
            inTeam(DEV)));
    // --- autoscaling (on 'spare'; a dry run, so nothing moves) ---
    rows.add(
        row(
            "GET /api/v1/apps/{app}/autoscaling",
            w -> "/api/v1/apps/spare/autoscaling",
            null,
            null,
            readers()));
    rows.add(
        row(
            "PUT /api/v1/apps/{app}/autoscaling",
            w -> "/api/v1/apps/spare/autoscaling",
            w -> AUTOSCALE_POLICY,
            "app.autoscale",
            inTeam(OPS)));
    rows.add(
        row(
            "DELETE /api/v1/apps/{app}/autoscaling",
            w -> victimAutoscaled(),
            null,
            "app.autoscale",
            inTeam(OPS)));
    // --- releases (on 'spare', which has no instances: a release there succeeds at once) ---
    rows.add(
        row(
            "POST /api/v1/apps/{app}/releases",
            w -> "/api/v1/apps/spare/releases",
            w ->
                "{\"spec\":{\"image\":\""
                    + fixture.image
                    + "\",\"command\":[\"httpd\",\"-f\"],\"env\":{\"MODE\":\""
                    + next()
                    + "\"}}}",
            "app.update-spec",
            inTeam(DEV)));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/releases",
            w -> "/api/v1/apps/spare/releases",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/releases/{id}",
            w -> "/api/v1/apps/spare/releases/" + spareRelease(),
            null,
            null,
            readers()));
    for (String[] control :
        new String[][] {
          {"promote", "release.promote"},
          {"pause", "release.pause"},
          {"resume", "release.resume"},
          {"abort", "release.abort"}
        }) {
      rows.add(
          row(
              "POST /api/v1/apps/{app}/releases/{id}/" + control[0],
              w -> "/api/v1/apps/spare/releases/" + spareRelease() + "/" + control[0],
              null,
              control[1],
              inTeam(OPS)));
    }
    rows.add(
        row(
            "POST /api/v1/apps/{app}/rollback",
            w -> "/api/v1/apps/spare/rollback",
            w -> "{\"revision\":1}",
            "app.rollback",
            inTeam(OPS)));
    rows.add(
        row(
            "GET /api/v1/apps/{app}/release-strategy",
            w -> "/api/v1/apps/spare/release-strategy",
            null,
            null,
            readers()));
    rows.add(
        row(
            "PUT /api/v1/apps/{app}/release-strategy",
            w -> "/api/v1/apps/spare/release-strategy",
            w -> "{\"bastion\":0,\"promotion\":\"auto\"}",
            "app.update-spec",
            inTeam(DEV)));
    // --- tasks and runs ---
    rows.add(row("GET /api/v1/tasks", w -> "/api/v1/tasks", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/tasks",
            w -> "/api/v1/tasks",
            w -> taskJson("t-" + next(), "alpha", "{\"type\":\"cron\",\"cron\":\"0 3 1 1 *\"}"),
            "task.create",
            creators(DEV)));
    rows.add(row("GET /api/v1/tasks/{task}", w -> "/api/v1/tasks/job", null, null, readers()));
    rows.add(
        row("DELETE /api/v1/tasks/{task}", w -> victimTask(), null, "task.delete", inTeam(DEV)));
    rows.add(
        row(
            "POST /api/v1/tasks/{task}/runs",
            w -> "/api/v1/tasks/job/runs",
            null,
            "task.run",
            inTeam(OPS)));
    rows.add(
        row("GET /api/v1/tasks/{task}/runs", w -> "/api/v1/tasks/job/runs", null, null, readers()));
    rows.add(row("GET /api/v1/runs", w -> "/api/v1/runs", null, null, everyone()));
    rows.add(row("GET /api/v1/runs/{run}", w -> "/api/v1/runs/job-1", null, null, readers()));
    rows.add(
        row(
            "DELETE /api/v1/runs/{run}",
            w -> "/api/v1/runs/" + victimRun(),
            null,
            "run.delete",
            inTeam(DEV)));
    rows.add(
        row(
            "POST /api/v1/runs/{run}/cancel",
            w -> "/api/v1/runs/job-1/cancel",
            null,
            "run.cancel",
            inTeam(OPS)));
    rows.add(
        row(
            "POST /api/v1/runs/{run}/exec",
            w -> "/api/v1/runs/job-1/exec",
            w -> "{\"command\":[\"true\"]}",
            "run.exec",
            inTeam(DEV)));
    rows.add(
        row("GET /api/v1/runs/{run}/logs", w -> "/api/v1/runs/job-1/logs", null, null, readers()));
    // --- events ---
    rows.add(row("GET /api/v1/events", w -> "/api/v1/events", null, null, everyone()));
    rows.add(
        row("GET /api/v1/events/stream", w -> "/api/v1/events/stream", null, null, everyone()));
    // --- clusters and nodes ---
    rows.add(row("GET /api/v1/clusters", w -> "/api/v1/clusters", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/clusters",
            w -> "/api/v1/clusters",
            w -> "{\"name\":\"k-" + next() + "\"}",
            "cluster.create",
            admins()));
    rows.add(
        row(
            "PATCH /api/v1/clusters/{name}",
            w -> "/api/v1/clusters/local",
            w -> "{\"production\":false}",
            "cluster.update",
            admins()));
    rows.add(
        row(
            "DELETE /api/v1/clusters/{name}",
            w -> "/api/v1/clusters/local?confirm=local",
            null,
            "cluster.delete",
            admins()));
    rows.add(row("GET /api/v1/nodes", w -> "/api/v1/nodes", null, null, everyone()));
    // --- node actions (admins; uncordon right after cordon, a drain refused for its deadline) ---
    rows.add(
        row(
            "POST /api/v1/clusters/{cluster}/nodes/{node}/cordon",
            w -> localNode("/cordon"),
            null,
            "node.cordon",
            admins()));
    rows.add(
        row(
            "POST /api/v1/clusters/{cluster}/nodes/{node}/uncordon",
            w -> localNode("/uncordon"),
            null,
            "node.uncordon",
            admins()));
    rows.add(
        row(
            "POST /api/v1/clusters/{cluster}/nodes/{node}/drain",
            w -> localNode("/drain"),
            w -> "{\"deadline\":\"0\"}",
            "node.drain",
            admins()));
    rows.add(
        row(
            "GET /api/v1/clusters/{cluster}/nodes/{node}/drain",
            w -> localNode("/drain"),
            null,
            null,
            everyone()));
    rows.add(
        row(
            "DELETE /api/v1/clusters/{cluster}/nodes/{node}/drain",
            w -> localNode("/drain"),
            null,
            "node.drain.cancel",
            admins()));
    rows.add(
        row(
            "PATCH /api/v1/clusters/{cluster}/nodes/{node}",
            w -> localNode(""),
            w -> "{\"labels\":{\"matrix\":\"yes\"}}",
            "node.label",
            admins()));
    // --- machine pools (everyone reads; admins define them: node.manage) ---
    rows.add(
        row(
            "GET /api/v1/clusters/{cluster}/pools",
            w -> "/api/v1/clusters/local/pools",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "POST /api/v1/clusters/{cluster}/pools",
            w -> "/api/v1/clusters/local/pools",
            w -> "{\"name\":\"p-" + next() + "\",\"selector\":{\"disk\":\"ssd\"}}",
            "pool.create",
            admins()));
    rows.add(
        row(
            "GET /api/v1/clusters/{cluster}/pools/{pool}",
            w -> "/api/v1/clusters/local/pools/fast",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "PUT /api/v1/clusters/{cluster}/pools/{pool}",
            w -> "/api/v1/clusters/local/pools/fast",
            w -> "{\"selector\":{}}",
            "pool.update",
            admins()));
    rows.add(
        row(
            "DELETE /api/v1/clusters/{cluster}/pools/{pool}",
            w -> victimPool(),
            null,
            "pool.delete",
            admins()));
    rows.add(
        row(
            "GET /api/v1/clusters/{cluster}/pools/{pool}/fit",
            w -> "/api/v1/clusters/local/pools/fast/fit?app=web",
            null,
            null,
            readers()));
    // --- inspections (admins: reports name every team's apps, registries and certificates) ---
    rows.add(
        row(
            "POST /api/v1/clusters/{cluster}/inspections",
            w -> "/api/v1/clusters/local/inspections",
            null,
            "inspection.run",
            admins()));
    rows.add(
        row(
            "GET /api/v1/clusters/{cluster}/inspections",
            w -> "/api/v1/clusters/local/inspections",
            null,
            null,
            admins()));
    rows.add(
        row(
            "GET /api/v1/clusters/{cluster}/inspections/{id}",
            w -> "/api/v1/clusters/local/inspections/" + inspection,
            null,
            null,
            admins()));
    // --- metrics: node metrics for everyone, an app's for its readers ---
    rows.add(row("GET /api/v1/metrics", w -> "/api/v1/metrics", null, null, everyone()));
    rows.add(
        row(
            "GET /api/v1/metrics/latest",
            w -> "/api/v1/metrics/latest?metric=berth_instance_restarts_total&app=web",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/metrics/query",
            w -> "/api/v1/metrics/query?metric=berth_node_pid_max&from=now-5m",
            null,
            null,
            everyone()));
    // --- teams ---
    rows.add(row("GET /api/v1/teams", w -> "/api/v1/teams", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/teams",
            w -> "/api/v1/teams",
            w -> "{\"name\":\"team-" + next() + "\"}",
            "team.create",
            admins()));
    rows.add(row("GET /api/v1/teams/{team}", w -> "/api/v1/teams/alpha", null, null, readers()));
    rows.add(
        row(
            "PATCH /api/v1/teams/{team}",
            w -> "/api/v1/teams/alpha",
            w -> "{\"production\":false}",
            "team.update",
            inTeam(ADMIN_ONLY)));
    rows.add(
        row(
            "GET /api/v1/teams/{team}/members",
            w -> "/api/v1/teams/alpha/members",
            null,
            null,
            readers()));
    rows.add(
        row(
            "PUT /api/v1/teams/{team}/members/{user}",
            w -> "/api/v1/teams/alpha/members/extra",
            w -> "{\"role\":\"viewer\"}",
            "team.member.set",
            inTeam(OWNER_ONLY)));
    rows.add(
        row(
            "DELETE /api/v1/teams/{team}/members/{user}",
            w -> extraInAlpha(),
            null,
            "team.member.remove",
            inTeam(OWNER_ONLY)));
    // --- users and tokens (dev's tokens: dev and admins only) ---
    rows.add(row("GET /api/v1/users", w -> "/api/v1/users", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/users",
            w -> "/api/v1/users",
            w -> "{\"name\":\"u-" + next() + "\",\"password\":\"" + PASSWORD + "\"}",
            "user.create",
            admins()));
    rows.add(
        row(
            "GET /api/v1/users/{user}/tokens",
            w -> "/api/v1/users/dev/tokens",
            null,
            null,
            devAndAdmins()));
    rows.add(
        row(
            "POST /api/v1/users/{user}/tokens",
            w -> "/api/v1/users/dev/tokens",
            w -> "{\"name\":\"n-" + next() + "\",\"expiresIn\":\"1d\"}",
            "token.create",
            devAndAdmins()));
    rows.add(
        row(
            "DELETE /api/v1/users/{user}/tokens/{id}",
            w -> "/api/v1/users/dev/tokens/" + victimToken(),
            null,
            "token.revoke",
            devAndAdmins()));
    // --- image centre: everyone reads and browses; admins manage registries and rules; a
    // registry's notifications need registry.notify ---
    rows.add(row("GET /api/v1/registries", w -> "/api/v1/registries", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/registries",
            w -> "/api/v1/registries",
            w -> spareRegistryJson(),
            "registry.create",
            admins()));
    rows.add(
        row(
            "GET /api/v1/registries/{name}",
            w -> "/api/v1/registries/main",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "POST /api/v1/registries/{name}/test",
            w -> "/api/v1/registries/main/test",
            null,
            "registry.test",
            admins()));
    rows.add(
        row(
            "DELETE /api/v1/registries/{name}",
            w -> spareRegistry(),
            null,
            "registry.delete",
            admins()));
    rows.add(
        row(
            "POST /api/v1/registries/{name}/events",
            w -> "/api/v1/registries/main/events",
            w -> "{\"events\":[]}",
            "registry.notify",
            notifierToo(admins())));
    rows.add(
        row("GET /api/v1/images", w -> "/api/v1/images?registry=main", null, null, everyone()));
    rows.add(
        row(
            "GET /api/v1/images/**",
            w -> "/api/v1/images/demo/busybox/tags?registry=main",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "GET /api/v1/images/tags",
            w -> "/api/v1/images/tags?registry=main&repository=demo/busybox",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "GET /api/v1/images/manifests",
            w -> "/api/v1/images/manifests?registry=main&repository=demo/busybox&reference=1",
            null,
            null,
            everyone()));
    // --- repositories per team: alpha's repositories (matrix/) are hidden from others ---
    rows.add(
        row(
            "GET /api/v1/images/tags",
            w -> "/api/v1/images/tags?registry=main&repository=matrix/first",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/images/manifests",
            w -> "/api/v1/images/manifests?registry=main&repository=matrix/first&reference=1",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/registries/{name}/repository-teams",
            w -> "/api/v1/registries/main/repository-teams",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "POST /api/v1/registries/{name}/repository-teams",
            w -> "/api/v1/registries/main/repository-teams",
            w -> "{\"prefix\":\"p" + next() + "/\",\"team\":\"alpha\"}",
            "repository-team.create",
            admins()));
    rows.add(
        row(
            "DELETE /api/v1/registries/{name}/repository-teams",
            w -> victimPrefix(),
            null,
            "repository-team.delete",
            admins()));
    rows.add(row("GET /api/v1/replications", w -> "/api/v1/replications", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/replications",
            w -> "/api/v1/replications",
            w -> ruleJson("rule-" + next()),
            "replication.create",
            admins()));
    rows.add(
        row(
            "GET /api/v1/replications/{name}",
            w -> "/api/v1/replications/mirror",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "DELETE /api/v1/replications/{name}",
            w -> victimRule(),
            null,
            "replication.delete",
            admins()));
    rows.add(
        row(
            "GET /api/v1/replications/{name}/jobs",
            w -> "/api/v1/replications/mirror/jobs",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "POST /api/v1/replications/{name}/sync",
            w -> "/api/v1/replications/mirror/sync",
            null,
            "replication.sync",
            admins()));
    // --- builds (of a team, like apps) and build templates (everyone reads, admins manage) ---
    rows.add(
        row(
            "POST /api/v1/builds",
            w -> "/api/v1/builds?team=alpha",
            w -> buildJson("b-" + next()),
            "build.create",
            creators(DEV)));
    rows.add(row("GET /api/v1/builds", w -> "/api/v1/builds", null, null, everyone()));
    rows.add(
        row("GET /api/v1/builds/{id}", w -> "/api/v1/builds/" + alphaBuild, null, null, readers()));
    rows.add(
        row("GET /api/v1/build-templates", w -> "/api/v1/build-templates", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/build-templates",
            w -> "/api/v1/build-templates",
            w -> templateJson("tpl-" + next()),
            "build-template.create",
            admins()));
    rows.add(
        row(
            "GET /api/v1/build-templates/{name}",
            w -> "/api/v1/build-templates/base",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "POST /api/v1/build-templates/{name}/builds",
            w -> "/api/v1/build-templates/base/builds",
            null,
            "build-template.build",
            admins()));
    rows.add(
        row(
            "DELETE /api/v1/build-templates/{name}",
            w -> victimTemplate(),
            null,
            "build-template.delete",
            admins()));
    // --- pipelines ('flow': spare → spare-prod, which requires approval) ---
    rows.add(row("GET /api/v1/pipelines", w -> "/api/v1/pipelines", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/pipelines",
            w -> "/api/v1/pipelines",
            w -> pipelineJson("p-" + next()),
            "pipeline.create",
            creators(DEV)));
    rows.add(
        row(
            "GET /api/v1/pipelines/{pipeline}",
            w -> "/api/v1/pipelines/flow",
            null,
            null,
            readers()));
    rows.add(
        row(
            "DELETE /api/v1/pipelines/{pipeline}",
            w -> victimPipeline(),
            null,
            "pipeline.delete",
            inTeam(DEV)));
    rows.add(
        row(
            "POST /api/v1/pipelines/{pipeline}/promote",
            w -> "/api/v1/pipelines/flow/promote",
            w -> "{\"from\":\"test\"}",
            "pipeline.promote",
            inTeam(OPS)));
    rows.add(
        row(
            "GET /api/v1/pipelines/{pipeline}/promotions",
            w -> "/api/v1/pipelines/flow/promotions",
            null,
            null,
            readers()));
    rows.add(
        row(
            "GET /api/v1/pipelines/{pipeline}/promotions/{id}",
            w -> "/api/v1/pipelines/flow/promotions/" + victimPromotion(),
            null,
            null,
            readers()));
    for (String decision : List.of("approve", "reject")) {
      rows.add(
          row(
              "POST /api/v1/pipelines/{pipeline}/promotions/{id}/" + decision,
              w -> "/api/v1/pipelines/flow/promotions/" + victimPromotion() + "/" + decision,
              null,
              "pipeline." + decision,
              inTeam(OPS)));
    }
    // --- alerts: rules, receivers and silences of team alpha, alerts of its rule ---
    rows.add(row("GET /api/v1/alert-rules", w -> "/api/v1/alert-rules", null, null, everyone()));
    rows.add(
        row(
            "GET /api/v1/alert-rules/metrics",
            w -> "/api/v1/alert-rules/metrics",
            null,
            null,
            everyone()));
    rows.add(
        row(
            "POST /api/v1/alert-rules",
            w -> "/api/v1/alert-rules",
            w -> alertRuleJson("rule-" + next()),
            "alert-rule.create",
            creators(OPS)));
    rows.add(
        row(
            "GET /api/v1/alert-rules/{name}",
            w -> "/api/v1/alert-rules/alpha-rule",
            null,
            null,
            readers()));
    rows.add(
        row(
            "PUT /api/v1/alert-rules/{name}",
            w -> "/api/v1/alert-rules/alpha-rule",
            w -> alertRuleJson("alpha-rule"),
            "alert-rule.update",
            inTeam(OPS)));
    rows.add(
        row(
            "PATCH /api/v1/alert-rules/{name}",
            w -> "/api/v1/alert-rules/alpha-rule",
            w -> "{\"summary\":\"web is ready " + next() + "\"}",
            "alert-rule.update",
            inTeam(OPS)));
    rows.add(
        row(
            "DELETE /api/v1/alert-rules/{name}",
            w -> victimAlertObject("/api/v1/alert-rules", alertRuleJson("vr-" + next()), "name"),
            null,
            "alert-rule.delete",
            inTeam(OPS)));
    rows.add(row("GET /api/v1/receivers", w -> "/api/v1/receivers", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/receivers",
            w -> "/api/v1/receivers",
            w -> receiverJson("hook-" + next()),
            "receiver.create",
            creators(OPS)));
    rows.add(
        row(
            "GET /api/v1/receivers/{name}",
            w -> "/api/v1/receivers/alpha-hook",
            null,
            null,
            readers()));
    rows.add(
        row(
            "DELETE /api/v1/receivers/{name}",
            w -> victimAlertObject("/api/v1/receivers", receiverJson("vh-" + next()), "name"),
            null,
            "receiver.delete",
            inTeam(OPS)));
    rows.add(row("GET /api/v1/alerts", w -> "/api/v1/alerts", null, null, everyone()));
    rows.add(row("GET /api/v1/alerts/{id}", w -> alphaAlert(), null, null, readers()));
    rows.add(row("GET /api/v1/silences", w -> "/api/v1/silences", null, null, everyone()));
    rows.add(
        row(
            "POST /api/v1/silences",
            w -> "/api/v1/silences",
            w -> SILENCE_JSON,
            "silence.create",
            creators(OPS)));
    rows.add(
        row(
            "DELETE /api/v1/silences/{id}",
            w -> victimAlertObject("/api/v1/silences", SILENCE_JSON, "id"),
            null,
            "silence.expire",
            inTeam(OPS)));
    // --- audit, API description ---
    rows.add(row("GET /api/v1/audit", w -> "/api/v1/audit?size=5", null, null, admins()));
    rows.add(row("GET /api/v1/openapi.json", w -> "/api/v1/openapi.json", null, null, everyone()));
    rows.add(
        row(
            "GET /api/v1/openapi.json.yaml",
            w -> "/api/v1/openapi.json.yaml",
            null,
            null,
            everyone()));
    return rows;
  }

  @Test
  @Order(1)
  void everyEndpointHasARowAndEveryRowAnEndpoint() {
    RequestMappingHandlerMapping mapping =
        berth.bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    TreeSet<String> served = new TreeSet<>();
    mapping
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(p -> p.startsWith("/api/"))
                    .forEach(
                        p ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(m -> served.add(m + " " + p))));
    TreeSet<String> covered = new TreeSet<>(table().stream().map(Row::key).toList());
    assertThat(served)
        .as("the API's endpoints as Spring maps them")
        .contains("GET /api/v1/apps/{app}", "DELETE /api/v1/clusters/{name}");
    assertThat(served)
        .as("endpoints without a row in the permission matrix: add one")
        .isSubsetOf(covered);
    assertThat(covered).as("rows whose endpoint is gone").isSubsetOf(served);
  }

  @Test
  @Order(2)
  void everyCallerGetsWhatTheTableSays() {
    List<String> wrong = new ArrayList<>();
    StringBuilder grid = new StringBuilder(String.format("%-50s", "endpoint"));
    for (Who who : Who.values()) {
      grid.append(String.format(" %-10s", who));
    }
    for (Row row : table()) {
      grid.append(String.format("%n%-50s", row.key()));
      for (Who who : Who.values()) {
        Want want = who == Who.ANONYMOUS || who == Who.BAD_TOKEN ? AUTH : row.want().get(who);
        HttpResponse<String> r = call(row, who);
        calls.add(new Object[] {row, who, r.statusCode()});
        Want got = classify(r);
        grid.append(String.format(" %-10s", got + " " + r.statusCode()));
        if (got != want) {
          wrong.add(
              String.format(
                  "%-50s %-9s wanted %-4s got %d %s",
                  row.key(), who, want, r.statusCode(), abbreviate(r.body())));
        }
      }
    }
    System.out.println(grid);
    assertThat(wrong).as("cells that differ from the table").isEmpty();
  }

  @Test
  @Order(3)
  void everyAllowedChangeIsAuditedUnderItsAuthorAndEveryRefusedOneAsDenied() {
    List<String> missing = new ArrayList<>();
    for (Object[] c : calls) {
      Row row = (Row) c[0];
      Who who = (Who) c[1];
      int status = (int) c[2];
      if (row.auditAction() == null || !USERS.containsKey(who)) {
        continue;
      }
      String result = status / 100 == 2 ? "ok" : status == 403 ? "denied" : null;
      if (result == null) {
        continue;
      }
      JsonNode items =
          berth
              .get(
                  "/api/v1/audit?size=500&actor=" + USERS.get(who) + "&action=" + row.auditAction())
              .path("items");
      boolean found = false;
      for (JsonNode e : items) {
        found |=
            e.path("result").asText().equals(result)
                && !e.path("time").asText().isEmpty()
                && e.path("remoteAddress").asText().equals("127.0.0.1");
      }
      if (!found) {
        missing.add(
            row.key()
                + " by "
                + who
                + ": no '"
                + result
                + "' entry for action "
                + row.auditAction());
      }
    }
    assertThat(missing).isEmpty();
    assertThat(calls).as("the matrix ran first").isNotEmpty();
  }

  @Test
  @Order(4)
  void
      removingARegistryIsRefusedForLackOfRightsBeforeItAsksForTheNameAndIsAuditedWithoutItsPassword() {
    HttpResponse<String> byDeveloper =
        berth.call("DELETE", "/api/v1/registries/main", null, tokens.get(Who.DEVELOPER));
    assertThat(byDeveloper.statusCode()).as(byDeveloper.body()).isEqualTo(403);
    assertThat(BerthServer.json(byDeveloper.body()).path("permission").asText())
        .isEqualTo("registry.manage");
    HttpResponse<String> byAdmin =
        berth.call("DELETE", "/api/v1/registries/main", null, BerthServer.TOKEN);
    assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(428);
    assertThat(BerthServer.json(byAdmin.body()).at("/errors/0/field").asText())
        .isEqualTo("confirm");
    assertThat(berth.call("GET", "/api/v1/registries/main", null, BerthServer.TOKEN).statusCode())
        .isEqualTo(200);

    JsonNode created =
        berth.get("/api/v1/audit?size=5&action=registry.create&actor=admin").path("items");
    assertThat(created.findValuesAsText("objectName")).contains("main");
    assertThat(created.toString()).contains("hasPassword");
  }

  @Test
  @Order(5)
  void buildListsShowTheCallersTeamsAndTemplatesOnly() {
    JsonNode outsider =
        BerthServer.json(
                berth.call("GET", "/api/v1/builds?size=100", null, tokens.get(Who.OUTSIDER)).body())
            .path("items");
    JsonNode viewer =
        BerthServer.json(
                berth.call("GET", "/api/v1/builds?size=100", null, tokens.get(Who.VIEWER)).body())
            .path("items");
    assertThat(outsider.findValuesAsText("team"))
        .as("the outsider sees no build of alpha")
        .doesNotContain("alpha");
    assertThat(outsider.findValuesAsText("forTemplate"))
        .as("but the templates' builds")
        .contains("base");
    assertThat(viewer.findValuesAsText("id")).contains(Long.toString(alphaBuild));
    JsonNode audited =
        berth.get("/api/v1/audit?size=5&action=build.create&actor=dev").path("items");
    assertThat(audited.path(0).path("team").asText()).isEqualTo("alpha");
    assertThat(audited.path(0).path("after").asText()).contains("/matrix/b-");
  }

  /**
   * The web terminal's sockets are upgrades, not MVC endpoints, so they have their own rows here:
   * developers of the team and up may open them (refusals come before the upgrade), and each grant
   * and refusal is audited as {@code instance.exec} under the caller's name.
   */
  @Test
  @Order(6)
  void terminalSocketsAreForDevelopersOfTheTeamAndAuditedUnderTheirName() {
    String run = berth.get("/api/v1/tasks/job/runs").path("items").path(0).path("id").asText();
    Map<String, Map<Who, Want>> sockets =
        Map.of(
            "/api/v1/apps/web/instances/web-0/terminal",
            inTeam(DEV),
            "/api/v1/runs/" + run + "/terminal",
            inTeam(DEV));
    List<String> wrong = new ArrayList<>();
    sockets.forEach(
        (path, wants) -> {
          for (Who who : Who.values()) {
            Want want = who == Who.ANONYMOUS || who == Who.BAD_TOKEN ? AUTH : wants.get(who);
            TerminalClient.Outcome o = TerminalClient.connect(berth, path, tokens.get(who));
            if (o.client() != null) {
              o.client().close();
            }
            Want got =
                switch (o.status()) {
                  case 401 -> AUTH;
                  case 403 -> DENY;
                  case 404 -> o.body().contains("does not exist") ? HIDE : OK;
                  default -> OK;
                };
            if (got != want) {
              wrong.add(
                  path + " " + who + " wanted " + want + " got " + o.status() + " " + o.body());
            }
          }
        });
    assertThat(wrong).as("terminal cells that differ from the table").isEmpty();
    JsonNode dev = berth.get("/api/v1/audit?size=50&actor=dev&action=instance.exec").path("items");
    assertThat(dev.findValuesAsText("result")).contains("ok");
    assertThat(dev.findValuesAsText("detail")).anyMatch(d -> d.startsWith("terminal session "));
    JsonNode viewer =
        berth.get("/api/v1/audit?size=50&actor=vic&action=instance.exec").path("items");
    assertThat(viewer.findValuesAsText("result")).contains("denied");
  }

  // --- expectations ---

  /** The least role that may: operator, developer, owner, or none (admins only). */
  static final int OPS = 1;

  static final int DEV = 2;
  static final int OWNER_ONLY = 3;
  static final int ADMIN_ONLY = 4;

  /**
   * Admins and, in alpha, the roles from {@code level} up; viewers below it are refused; the
   * outsider does not see the object.
   */
  static Map<Who, Want> inTeam(int level) {
    Map<Who, Want> m = creators(level);
    m.put(Who.OUTSIDER, HIDE);
    return m;
  }

  /**
   * As {@link #inTeam}, but the outsider is refused (creating in a team names the team; nothing is
   * hidden).
   */
  static Map<Who, Want> creators(int level) {
    Map<Who, Want> m = new EnumMap<>(Who.class);
    m.put(Who.ADMIN, OK);
    m.put(Who.OWNER, level <= OWNER_ONLY ? OK : DENY);
    m.put(Who.DEVELOPER, level <= DEV ? OK : DENY);
    m.put(Who.OPERATOR, level <= OPS ? OK : DENY);
    m.put(Who.VIEWER, DENY);
    m.put(Who.OUTSIDER, DENY);
    m.put(Who.NOTIFIER, DENY);
    return m;
  }

  static Map<Who, Want> readers() {
    Map<Who, Want> m = everyone();
    m.put(Who.OUTSIDER, HIDE);
    return m;
  }

  static Map<Who, Want> everyone() {
    Map<Who, Want> m = new EnumMap<>(Who.class);
    for (Who w :
        List.of(Who.ADMIN, Who.OWNER, Who.DEVELOPER, Who.OPERATOR, Who.VIEWER, Who.OUTSIDER)) {
      m.put(w, OK);
    }
    m.put(Who.NOTIFIER, DENY);
    return m;
  }

  static Map<Who, Want> admins() {
    Map<Who, Want> m = new EnumMap<>(Who.class);
    for (Who w : List.of(Who.OWNER, Who.DEVELOPER, Who.OPERATOR, Who.VIEWER, Who.OUTSIDER)) {
      m.put(w, DENY);
    }
    m.put(Who.ADMIN, OK);
    m.put(Who.NOTIFIER, DENY);
    return m;
  }

  /**
   * {@code m}, but the token narrowed to {@code registry.notify} gets through too: the notification
   * endpoint, and the API description that checks no permission.
   */
  static Map<Who, Want> notifierToo(Map<Who, Want> m) {
    m.put(Who.NOTIFIER, OK);
    return m;
  }

  static Map<Who, Want> devAndAdmins() {
    Map<Who, Want> m = admins();
    m.put(Who.DEVELOPER, OK);
    return m;
  }

  static Row row(
      String key,
      Function<Who, String> path,
      Function<Who, String> body,
      String auditAction,
      Map<Who, Want> want) {
    return new Row(key, path, body == null ? w -> null : body, auditAction, want);
  }

  /** A path under the local cluster's one node. */
  String localNode(String action) {
    return "/api/v1/clusters/local/nodes/"
        + berth.get("/api/v1/nodes?cluster=local").at("/items/0/name").asText()
        + action;
  }

  // --- objects made fresh for destructive calls ---

  String next() {
    return Integer.toString(serial.incrementAndGet());
  }

  /** A fresh machine pool, to remove. */
  String victimPool() {
    String name = "victim-" + next();
    admin("POST", "/api/v1/clusters/local/pools", "{\"name\":\"" + name + "\"}", 201);
    return "/api/v1/clusters/local/pools/" + name;
  }

  String victimApp() {
    String name = "victim-" + next();
    admin("POST", "/api/v1/apps", appJson(name, 0, "alpha"), 201);
    return "/api/v1/apps/" + name + "?confirm=" + name;
  }

  static final String AUTOSCALE_POLICY =
      "{\"min\":1,\"max\":2,\"metrics\":[{\"type\":\"memory\",\"targetPercent\":80}],"
          + "\"dryRun\":true}";

  /** A fresh app of alpha with an autoscaling policy, to turn off. */
  String victimAutoscaled() {
    String name = "victim-" + next();
    admin("POST", "/api/v1/apps", appJson(name, 0, "alpha"), 201);
    admin("PUT", "/api/v1/apps/" + name + "/autoscaling", AUTOSCALE_POLICY, 200);
    return "/api/v1/apps/" + name + "/autoscaling";
  }

  /** The id of a release of 'spare' (started by the admin when it has none yet). */
  String spareRelease() {
    JsonNode items = admin("GET", "/api/v1/apps/spare/releases", null, 200).path("items");
    if (!items.isEmpty()) {
      return items.get(0).path("id").asText();
    }
    return admin(
            "POST",
            "/api/v1/apps/spare/releases",
            "{\"spec\":{\"image\":\"" + fixture.image + "\",\"env\":{\"MODE\":\"r\"}}}",
            201)
        .path("id")
        .asText();
  }

  String pipelineJson(String name) {
    return """
        {"name":"%s","team":"alpha","environments":[{"name":"test","app":"spare"},
         {"name":"prod","app":"spare-prod","requiresApproval":true}]}"""
        .formatted(name);
  }

  String victimPipeline() {
    String name = "vp-" + next();
    admin("POST", "/api/v1/pipelines", pipelineJson(name), 201);
    return "/api/v1/pipelines/" + name;
  }

  /** A promotion of 'flow' awaiting approval ('spare' released first when it has no release). */
  String victimPromotion() {
    spareRelease();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                berth
                        .call("POST", "/api/v1/pipelines/flow/promote", "{\"from\":\"test\"}")
                        .statusCode()
                    == 201);
    return admin("GET", "/api/v1/pipelines/flow/promotions?size=1", null, 200)
        .at("/items/0/id")
        .asText();
  }

  String victimTask() {
    String name = "vt-" + next();
    admin(
        "POST",
        "/api/v1/tasks",
        taskJson(name, "alpha", "{\"type\":\"cron\",\"cron\":\"0 3 1 1 *\"}"),
        201);
    return "/api/v1/tasks/" + name;
  }

  static final String SILENCE_JSON =
      "{\"team\":\"alpha\",\"matchers\":{\"app\":\"web\"},\"duration\":\"1h\"}";

  /** A rule of team alpha that fires at once for web's instance (it is ready or not). */
  static String alertRuleJson(String name) {
    return """
        {"name":"%s","team":"alpha","metric":"berth_instance_ready","op":">=","threshold":0,
         "for":"0","match":{"app":"web"}}"""
        .formatted(name);
  }

  static String receiverJson(String name) {
    return """
        {"name":"%s","team":"alpha","type":"webhook","url":"http://127.0.0.1:9/hook"}"""
        .formatted(name);
  }

  /** An alert, rule, receiver or silence made by the admin to be deleted: its path. */
  String victimAlertObject(String collection, String body, String key) {
    return collection + "/" + admin("POST", collection, body, 201).path(key).asText();
  }

  /** The path of the firing alert of team alpha's rule, once it fired. */
  String alphaAlert() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                berth
                    .get("/api/v1/alerts?state=firing")
                    .path("items")
                    .findValuesAsText("team")
                    .contains("alpha"));
    for (JsonNode a : berth.get("/api/v1/alerts?state=firing").path("items")) {
      if (a.path("team").asText().equals("alpha")) {
        return "/api/v1/alerts/" + a.path("id").asText();
      }
    }
    throw new AssertionError("no firing alert of team alpha");
  }

  String victimRun() {
    return admin("POST", "/api/v1/tasks/job/runs", null, 202).path("id").asText();
  }

  String victimToken() {
    return admin("POST", "/api/v1/users/dev/tokens", "{\"name\":\"v-" + next() + "\"}", 201)
        .path("id")
        .asText();
  }

  String extraInAlpha() {
    admin("PUT", "/api/v1/teams/alpha/members/extra", "{\"role\":\"viewer\"}", 200);
    return "/api/v1/teams/alpha/members/extra";
  }

  /**
   * The registry that POST adds and DELETE removes: the test registry again under the host name
   * {@code localhost} (hosts are unique). DELETE's victim is made again while it is missing.
   */
  String spareRegistryJson() {
    return "{\"name\":\"spare\",\"url\":\"http://localhost:" + fixture.registry.port() + "\"}";
  }

  String spareRegistry() {
    if (berth.call("GET", "/api/v1/registries/spare", null, BerthServer.TOKEN).statusCode()
        == 404) {
      admin("POST", "/api/v1/registries", spareRegistryJson(), 201);
    }
    return "/api/v1/registries/spare?confirm=spare";
  }

  /** A prefix of main given to alpha, to be removed: its path. */
  String victimPrefix() {
    String prefix = "vp" + next() + "/";
    admin(
        "POST",
        "/api/v1/registries/main/repository-teams",
        "{\"prefix\":\"" + prefix + "\",\"team\":\"alpha\"}",
        201);
    return "/api/v1/registries/main/repository-teams?prefix=" + prefix;
  }

  String victimRule() {
    String name = "vr-" + next();
    admin("POST", "/api/v1/replications", ruleJson(name), 201);
    return "/api/v1/replications/" + name;
  }

  /** One victim template, made again while it is missing (each one is built). */
  String victimTemplate() {
    if (berth.call("GET", "/api/v1/build-templates/victim", null, BerthServer.TOKEN).statusCode()
        == 404) {
      admin("POST", "/api/v1/build-templates", templateJson("victim"), 201);
    }
    return "/api/v1/build-templates/victim";
  }

  /** A rule copying nothing (no repository matches), so a sync is quick. */
  static String ruleJson(String name) {
    return "{\"name\":\""
        + name
        + "\",\"sourceRegistry\":\"main\",\"filter\":\"nothing-matches/*\",\"targets\":[{\"registry\":\"main\",\"namespace\":\"mirror\"}]}";
  }

  /** A tiny build on scratch, pushed to the test registry. */
  String buildJson(String name) {
    return "{\"image\":\""
        + fixture.registry.host()
        + "/matrix/"
        + name
        + ":1\",\"base\":\"scratch\",\"files\":[{\"path\":\"/hello\",\"content\":\"hi\\n\"}]}";
  }

  String templateJson(String name) {
    return "{\"name\":\"" + name + "\",\"spec\":" + buildJson("templates-" + name) + "}";
  }

  /** The instance endpoints need web-0 to be there: after a replacement, wait until it is back. */
  String webInstanceBack(String path) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (JsonNode i : berth.get("/api/v1/apps/web/instances").path("items")) {
                if (i.path("id").asText().equals("web-0")) {
                  return true;
                }
              }
              return false;
            });
    return path;
  }

  // --- calls ---

  HttpResponse<String> call(Row row, Who who) {
    String path = row.path().apply(who);
    String body = row.body().apply(who);
    String token = tokens.get(who);
    if (path.endsWith("/events/stream") || path.contains("watch=true")) {
      return stream(path, token);
    }
    if (row.key().equals("PATCH /api/v1/apps/{app}")) {
      return berth.patch(path, body, token);
    }
    return berth.call(row.method(), path, body, token);
  }

  /** A live stream answers with headers at once and never ends: take the status and hang up. */
  HttpResponse<String> stream(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(berth.uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> r =
          berth.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      String body =
          r.statusCode() == 200
              ? ""
              : new String(r.body().readNBytes(4096), StandardCharsets.UTF_8);
      r.body().close();
      return new Fixed(r.statusCode(), body, r);
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  static Want classify(HttpResponse<String> r) {
    return switch (r.statusCode()) {
      case 401 -> AUTH;
      case 403 -> DENY;
      case 404 -> r.body().contains("does not exist") ? HIDE : OK;
      default -> OK;
    };
  }

  JsonNode admin(String method, String path, String body, int expected) {
    HttpResponse<String> r = berth.call(method, path, body, BerthServer.TOKEN);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
    return r.body().isEmpty() ? null : BerthServer.json(r.body());
  }

  String appJson(String name, int instances, String team) {
    return """
        {"name":"%s","team":"%s","image":"%s","command":["httpd","-f","-p","8080","-h","/www"],"env":{"MODE":"x"},
         "ports":[{"name":"http","port":8080}],"resources":{"cpu":0.1,"memoryMiB":32},"instances":%d}"""
        .formatted(name, team, fixture.image, instances);
  }

  String taskJson(String name, String team, String trigger) {
    return """
        {"name":"%s","team":"%s","image":"%s","command":["true"],"trigger":%s,"timeoutSeconds":30}"""
        .formatted(name, team, fixture.image, trigger);
  }

  static String abbreviate(String body) {
    String oneLine = body.replace('\n', ' ');
    return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
  }

  /** A finished stream call as a string response. */
  record Fixed(int statusCode, String body, HttpResponse<?> original)
      implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      return original.request();
    }

    @Override
    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return original.headers();
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.URI uri() {
      return original.uri();
    }

    @Override
    public java.net.http.HttpClient.Version version() {
      return original.version();
    }
  }
}
