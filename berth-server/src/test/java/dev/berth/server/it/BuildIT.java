package dev.berth.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.testing.TestLayer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Builds without Dockerfiles through the REST API, against a real docker-registry and real runc: a
 * template chain os → web-runtime → app onto the busybox base, the same digest on a rebuild, an app
 * that runs the built image and serves the page the build added, a template rebuild that rebuilds
 * its dependants, and bad input and registry faults with clear answers.
 */
class BuildIT {
  static final Duration BUILD = Duration.ofSeconds(120);
  static LocalBerth fixture;
  static BerthServer berth;
  static String registry;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        LocalBerth.start(
            20,
            "base page",
            Map.of("berth.builds.max-upload-size", "1MB", "berth.builds.max-unpacked-size", "1MB"));
    berth = fixture.berth;
    registry = fixture.registry.host();
  }

  @AfterAll
  static void stop() {
    LocalBerth.close(fixture);
  }

  static HttpResponse<String> multipart(String path, Multipart body) {
    HttpRequest request =
        HttpRequest.newBuilder(berth.uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + BerthServer.TOKEN)
            .header("Content-Type", body.contentType())
            .POST(body.publisher())
            .build();
    try {
      return berth.http().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode awaitBuild(long id, String state) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(BUILD)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = berth.get("/api/v1/builds/" + id);
              return List.of("succeeded", "failed").contains(last[0].path("state").asText());
            });
    assertThat(last[0].path("state").asText()).as(last[0].toString()).isEqualTo(state);
    return last[0];
  }

  static long accepted(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201, 202);
    JsonNode json = BerthServer.json(r.body());
    return json.has("build") ? json.path("build").path("id").asLong() : json.path("id").asLong();
  }

  static String osTemplate(String release) {
    return """
        {"name":"os","spec":{"image":"%s/templates/os:1","base":"%s",
         "layers":[{"name":"os","files":[{"path":"/etc/os-release","content":"%s"}]}]}}
        """
        .formatted(registry, fixture.image, release);
  }

  static final String WEB_RUNTIME =
      """
      {"name":"web-runtime","spec":{"image":"%s/templates/web-runtime:1","template":"os",
       "layers":[{"name":"runtime","files":[{"path":"/etc/httpd.conf","content":"# no rules\\n"}]}],
       "workdir":"/www","cmd":["httpd","-f","-p","8080","-h","/www","-c","/etc/httpd.conf"],
       "env":{"RUNTIME":"web"},"ports":["8080"],"labels":{"tier":"runtime"}}}
      """;

  static String appSpec(String image) {
    return """
        {"image":"%s","template":"web-runtime","archives":[{"source":"site","dir":"/www"}],
         "files":[{"path":"/www/build.txt","content":"build one\\n","mode":"0644"}],"labels":{"app":"site"}}
        """
        .formatted(image);
  }

  static byte[] site(String page) {
    return TestLayer.create()
        .dir("static", 0755)
        .file("index.html", page, 0644)
        .file("static/app.css", "body{}", 0644)
        .tarGz();
  }

  @Test
  void buildsAnAppOnATemplateChainRunsItAndRebuildsToTheSameDigest() throws Exception {
    long os = accepted(berth.call("POST", "/api/v1/build-templates", osTemplate("berth-os 1")));
    long runtime =
        accepted(berth.call("POST", "/api/v1/build-templates", WEB_RUNTIME.formatted(registry)));
    String image = registry + "/apps/site:1";
    long first =
        accepted(
            multipart(
                "/api/v1/builds",
                new Multipart()
                    .json("spec", appSpec(image))
                    .file("site", "site.tar.gz", site("built by berth"))));

    JsonNode osBuild = awaitBuild(os, "succeeded");
    JsonNode runtimeBuild = awaitBuild(runtime, "succeeded");
    JsonNode built = awaitBuild(first, "succeeded");
    assertThat(runtimeBuild.path("base").asText())
        .isEqualTo(osBuild.path("imageReference").asText());
    assertThat(built.path("base").asText()).isEqualTo(runtimeBuild.path("imageReference").asText());
    assertThat(built.path("digest").asText()).startsWith("sha256:");
    assertThat(built.path("imageReference").asText())
        .isEqualTo(registry + "/apps/site@" + built.path("digest").asText());
    assertThat(built.path("durationSeconds").asDouble()).isPositive();
    assertThat(built.path("log").asText()).contains("pushed " + image);
    assertThat(berth.get("/api/v1/builds?q=apps/site").path("items"))
        .extracting(b -> b.path("id").asLong())
        .contains(first);

    // The same inputs again: the same digest.
    long second =
        accepted(
            multipart(
                "/api/v1/builds",
                new Multipart()
                    .json("spec", appSpec(image))
                    .file("site", "site.tar.gz", site("built by berth"))));
    assertThat(awaitBuild(second, "succeeded").path("digest").asText())
        .isEqualTo(built.path("digest").asText());

    // The local runtime runs the built image: the command, port and page all come from the build.
    String app =
        """
        {"name":"built","image":"%s","ports":[{"name":"http","port":8080}],"resources":{"cpu":0.2,"memoryMiB":32},
         "instances":1,"health":{"readiness":{"type":"http","port":8080,"path":"/","periodSeconds":1}}}
        """
            .formatted(built.path("imageReference").asText());
    HttpResponse<String> created = berth.call("POST", "/api/v1/apps", app);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(berth.get("/api/v1/apps/built").path("status").path("ready").asInt())
                    .isEqualTo(1));
    String ip = berth.get("/api/v1/apps/built/instances").path("items").get(0).path("ip").asText();
    assertThat(fetch("http://" + ip + ":8080/")).contains("built by berth");
    assertThat(fetch("http://" + ip + ":8080/build.txt")).contains("build one");
    assertThat(berth.call("DELETE", "/api/v1/apps/built?confirm=built", null).statusCode())
        .isEqualTo(202);

    // Changing the os template rebuilds it, and web-runtime is rebuilt on the new os image.
    HttpResponse<String> changed =
        berth.call("POST", "/api/v1/build-templates", osTemplate("berth-os 2"));
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonNode osAgain = awaitBuild(accepted(changed), "succeeded");
    assertThat(osAgain.path("digest").asText()).isNotEqualTo(osBuild.path("digest").asText());
    await()
        .atMost(BUILD)
        .untilAsserted(
            () -> {
              JsonNode t = berth.get("/api/v1/build-templates/web-runtime");
              assertThat(t.path("lastBuild").asLong()).isGreaterThan(runtime);
              JsonNode rebuilt = berth.get("/api/v1/builds/" + t.path("lastBuild").asLong());
              assertThat(rebuilt.path("state").asText())
                  .as(rebuilt.toString())
                  .isEqualTo("succeeded");
              assertThat(rebuilt.path("cause").asText()).contains("base template 'os' rebuilt");
              assertThat(rebuilt.path("base").asText())
                  .isEqualTo(osAgain.path("imageReference").asText());
              assertThat(t.path("digest").asText())
                  .isEqualTo(rebuilt.path("digest").asText())
                  .isNotEqualTo(runtimeBuild.path("digest").asText());
            });
    List<String> names = new ArrayList<>();
    berth
        .get("/api/v1/build-templates")
        .path("items")
        .forEach(t -> names.add(t.path("name").asText()));
    assertThat(names).contains("os", "web-runtime");
    HttpResponse<String> refused = berth.call("DELETE", "/api/v1/build-templates/os", null);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("web-runtime");
  }

  @Test
  void badSpecsAreRefusedNamingTheField() {
    HttpResponse<String> empty = berth.call("POST", "/api/v1/builds", "{}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(fields(empty)).contains("image", "base");

    HttpResponse<String> noTemplate =
        berth.call(
            "POST",
            "/api/v1/builds",
            "{\"image\":\"" + registry + "/x/y:1\",\"template\":\"nope\"}");
    assertThat(fields(noTemplate)).containsExactly("template");

    HttpResponse<String> missingPart =
        multipart(
            "/api/v1/builds",
            new Multipart()
                .json(
                    "spec",
                    "{\"image\":\""
                        + registry
                        + "/x/y:1\",\"base\":\"scratch\",\"archives\":[{\"source\":\"site\"}]}"));
    assertThat(fields(missingPart)).containsExactly("archives[0].source");

    HttpResponse<String> notArchive =
        multipart(
            "/api/v1/builds",
            new Multipart()
                .json(
                    "spec",
                    "{\"image\":\""
                        + registry
                        + "/x/y:1\",\"base\":\"scratch\",\"archives\":[{\"source\":\"site\"}]}")
                .file("site", "site.tgz", "plain text".getBytes()));
    assertThat(fields(notArchive)).containsExactly("archives[0].source");
    assertThat(notArchive.body()).contains("not a tar, tar.gz or zip");

    HttpResponse<String> unknownField =
        multipart(
            "/api/v1/builds",
            new Multipart()
                .json(
                    "spec",
                    "{\"image\":\"" + registry + "/x/y:1\",\"base\":\"scratch\",\"bogus\":1}"));
    assertThat(fields(unknownField)).containsExactly("spec.bogus");

    HttpResponse<String> badTemplate =
        berth.call(
            "POST",
            "/api/v1/build-templates",
            "{\"name\":\"Bad Name\",\"spec\":{\"image\":\""
                + registry
                + "/t/x:1\",\"base\":\"scratch\",\"ports\":[\"99999\"]}}");
    assertThat(fields(badTemplate)).containsExactly("name");
    HttpResponse<String> badTemplateSpec =
        berth.call(
            "POST",
            "/api/v1/build-templates",
            "{\"name\":\"ok\",\"spec\":{\"image\":\""
                + registry
                + "/t/x:1\",\"base\":\"scratch\",\"ports\":[\"99999\"]}}");
    assertThat(fields(badTemplateSpec)).containsExactly("spec.ports[0]");

    HttpResponse<String> tooLarge =
        multipart(
            "/api/v1/builds",
            new Multipart().json("spec", "{}").file("big", "big.bin", new byte[1_500_000]));
    assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("berth.builds.max-upload-size");
    assertThat(berth.call("GET", "/api/v1/builds/999999", null).statusCode()).isEqualTo(404);
  }

  @Test
  void anUnreachableRegistryFailsTheBuildWithAReasonAndTheNextBuildStillRuns() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String spec =
        "{\"image\":\"127.0.0.1:%d/x/y:1\",\"base\":\"%s\",\"files\":[{\"path\":\"/a\",\"content\":\"a\"}]}";
    long failing =
        accepted(berth.call("POST", "/api/v1/builds", spec.formatted(closed, fixture.image)));
    JsonNode failed = awaitBuild(failing, "failed");
    assertThat(failed.path("reason").asText()).contains("cannot reach the registry");
    assertThat(failed.path("log").asText()).contains("failed: cannot reach the registry");
    String events = berth.call("GET", "/api/v1/events?object=build/" + failing, null).body();
    assertThat(events).contains("BuildFailed");

    long fine =
        accepted(
            berth.call(
                "POST",
                "/api/v1/builds",
                "{\"image\":\"%s/x/fine:1\",\"base\":\"%s\",\"files\":[{\"path\":\"/a\",\"content\":\"a\"}]}"
                    .formatted(registry, fixture.image)));
    assertThat(awaitBuild(fine, "succeeded").path("digest").asText()).startsWith("sha256:");
  }

  @Test
  void anArchiveThatUnpacksBeyondTheLimitFailsTheBuildNamingTheSettingAndPushesNothing()
      throws Exception {
    // 2 MB of zeros gzip to a few KB: the upload is well inside max-upload-size, the unpacked size
    // is not.
    byte[] bomb = TestLayer.create().file("zeros", "0".repeat(2 << 20), 0644).tarGz();
    assertThat(bomb.length).isLessThan(1 << 20);
    String spec =
        "{\"image\":\"%s/x/huge:1\",\"base\":\"%s\",\"archives\":[{\"source\":\"site\",\"dir\":\"/www\"}]}";
    long id =
        accepted(
            multipart(
                "/api/v1/builds",
                new Multipart()
                    .json("spec", spec.formatted(registry, fixture.image))
                    .file("site", "site.tgz", bomb)));
    JsonNode failed = awaitBuild(id, "failed");
    assertThat(failed.path("reason").asText()).contains("berth.builds.max-unpacked-size");
    HttpResponse<String> tags =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/x/huge/tags/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(tags.statusCode()).as(tags.body()).isEqualTo(404);
  }

  static List<String> fields(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    List<String> fields = new ArrayList<>();
    BerthServer.json(r.body()).path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  static String fetch(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
